/**
 * Data connections: passive ports stay within `passive_port_range` (curl and lftp), a full range
 * answers 425, a passive connection from another address is dropped (peer check), active mode
 * (PORT/EPRT) works with curl, leaves from port 20 when `active_transfers_port_non_20` is false,
 * refuses third-party addresses and is refused altogether with `disable_active_mode`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { needs, needsBinaries } from '../../helpers/require.js';
import { clientHome, curl, lftp, show } from './clients.js';
import { startFtp, type FtpFixture } from './fixture.js';
import { RawFtp } from './raw-client.js';

/** A 10-port range somewhere in 40000-59990, so parallel test files rarely meet. */
function randomRange(): { start: number; end: number } {
  const start = 40000 + Math.floor(Math.random() * 2000) * 10;
  return { start, end: start + 9 };
}

describe('FTP data connections', { ...needsBinaries('curl', 'lftp') }, () => {
  let f: FtpFixture;
  let home: { home: string; cleanup(): Promise<void> };
  const range = randomRange();

  before(async () => {
    f = await startFtp({ config: { ftpd: { passive_port_range: range, active_transfers_port_non_20: false }, common: { max_per_host_connections: 100 } } });
    home = await clientHome();
    await mkdir(f.home, { recursive: true });
    await writeFile(path.join(f.home, 'data.txt'), 'payload over the data connection\n');
  });

  after(async () => {
    await f?.close();
    await home?.cleanup();
  });

  test('curl (EPSV) and lftp (PASV) get passive ports inside passive_port_range', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await curl([`ftp://127.0.0.1:${f.port}/data.txt`, '-u', `alice:${f.password}`, '-v'], home.home);
      assert.equal(r.code, 0, show(r));
      ports.push(...[...r.stderr.matchAll(/Entering Extended Passive Mode \(\|\|\|(\d+)\|\)/g)].map((m) => Number(m[1])));
    }
    const l = await lftp({ port: f.port, user: 'alice', password: f.password }, ['cat data.txt', 'ls', 'cls'], home.home);
    assert.equal(l.code, 0, show(l));
    ports.push(...[...l.debug!.matchAll(/Connecting data socket to \(127\.0\.0\.1\) port (\d+)/g)].map((m) => Number(m[1])));
    assert.ok(ports.length >= 7, `ports seen: ${ports.join(',')}`);
    for (const p of ports) assert.ok(p >= range.start && p <= range.end, `passive port ${p} outside ${range.start}-${range.end}`);
  });

  test('a full passive range answers 425', async () => {
    const sessions: RawFtp[] = [];
    try {
      let last = 0;
      for (let i = 0; i <= 10 && last !== 425; i++) {
        const { ftp } = await RawFtp.connect(f.port);
        sessions.push(ftp);
        await ftp.login('alice', f.password);
        last = (await ftp.cmd('PASV')).code;
      }
      assert.equal(last, 425);
    } finally {
      for (const s of sessions) s.close();
    }
  });

  test('a passive connection from another address is dropped, the client itself gets the data', async () => {
    const { ftp } = await RawFtp.connect(f.port);
    try {
      await ftp.login('alice', f.password);
      const r = await ftp.cmd('EPSV');
      const port = Number(/\(\|\|\|(\d+)\|\)/.exec(r.text)![1]);
      const intruder = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' });
      intruder.on('error', () => undefined);
      await new Promise<void>((res) => intruder.once('close', () => res()));
      const data = connect(port, '127.0.0.1');
      await new Promise<void>((res) => data.once('connect', () => res()));
      const body = RawFtp.readAll(data);
      assert.equal((await ftp.cmd('RETR data.txt')).code, 150);
      assert.equal((await body).toString(), 'payload over the data connection\n');
      assert.equal((await ftp.next()).code, 226);
    } finally {
      ftp.close();
    }
  });

  test('curl in active mode (EPRT/PORT) downloads and uploads', async () => {
    let r = await curl(['--ftp-port', '127.0.0.1', `ftp://127.0.0.1:${f.port}/data.txt`, '-u', `alice:${f.password}`], home.home);
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout, 'payload over the data connection\n');
    r = await curl(['--ftp-port', '127.0.0.1', '--disable-eprt', '-T', '-', `ftp://127.0.0.1:${f.port}/active.txt`, '-u', `alice:${f.password}`], home.home, { input: 'sent actively' });
    assert.equal(r.code, 0, show(r));
  });

  test('active connections leave from port 20 when active_transfers_port_non_20 is false', needs(process.getuid?.() === 0, 'binding source port 20 needs root'), async () => {
    const srv = createServer();
    await new Promise<void>((res) => srv.listen(0, '127.0.0.1', () => res()));
    const accepted = new Promise<Socket>((res) => srv.once('connection', (s: Socket) => { srv.close(); res(s); }));
    const port = (srv.address() as AddressInfo).port;
    const { ftp } = await RawFtp.connect(f.port);
    await ftp.login('alice', f.password);
    assert.equal((await ftp.cmd(`PORT 127,0,0,1,${Math.floor(port / 256)},${port % 256}`)).code, 200);
    assert.equal((await ftp.cmd('RETR data.txt')).code, 150);
    const sock = await accepted;
    assert.equal(sock.remotePort, 20);
    assert.equal((await RawFtp.readAll(sock)).toString(), 'payload over the data connection\n');
    assert.equal((await ftp.next()).code, 226);
    ftp.close();
  });

  test('PORT/EPRT towards another host are refused (no FTP bounce)', async () => {
    const { ftp } = await RawFtp.connect(f.port);
    await ftp.login('alice', f.password);
    assert.equal((await ftp.cmd('PORT 10,1,2,3,4,5')).code, 501);
    assert.equal((await ftp.cmd('EPRT |1|10.1.2.3|1029|')).code, 501);
    assert.equal((await ftp.cmd('EPRT |3|x|1|')).code, 501);
    ftp.close();
  });
});

describe('FTP with active mode disabled', { ...needsBinaries('curl') }, () => {
  test('PORT and EPRT answer 502 and curl -P fails', async () => {
    const f = await startFtp({ config: { ftpd: { disable_active_mode: true } } });
    const home = await clientHome();
    try {
      const { ftp, greeting } = await RawFtp.connect(f.port);
      assert.equal(greeting.code, 220);
      await ftp.login('alice', f.password);
      assert.equal((await ftp.cmd('PORT 127,0,0,1,4,5')).code, 502);
      assert.equal((await ftp.cmd('EPRT |1|127.0.0.1|1029|')).code, 502);
      const feat = await ftp.cmd('FEAT');
      assert.ok(!feat.lines.includes(' EPRT'));
      ftp.close();
      const r = await curl(['--ftp-port', '127.0.0.1', `ftp://127.0.0.1:${f.port}/`, '-u', `alice:${f.password}`], home.home);
      assert.notEqual(r.code, 0, show(r));
    } finally {
      await f.close();
      await home.cleanup();
    }
  });
});
