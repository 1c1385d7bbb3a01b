/**
 * 50 parallel FTP sessions (curl), each uploading its own file and reading it back, all checked
 * by content; the sessions are listed as FTP connections while they run.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { clientHome, curl, show } from './clients.js';
import { startFtp, type FtpFixture } from './fixture.js';
import { RawFtp } from './raw-client.js';

const SESSIONS = 50;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('FTP: 50 parallel sessions', { ...needsBinaries('curl') }, () => {
  let f: FtpFixture;
  let home: { home: string; cleanup(): Promise<void> };

  before(async () => {
    f = await startFtp({ config: { common: { max_per_host_connections: 200 } } });
    home = await clientHome();
    await mkdir(f.home, { recursive: true });
  });

  after(async () => {
    await f?.close();
    await home?.cleanup();
  });

  test('50 curl sessions upload and download at once, every file intact', async () => {
    const files = await Promise.all(Array.from({ length: SESSIONS }, async (_, i) => {
      const p = path.join(home.home, `p${i}.bin`);
      const data = randomBytes(200 * 1024 + i);
      await writeFile(p, data);
      return { p, name: `p${i}.bin`, sum: sha(data) };
    }));
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, f.ctx.core.connections.list().filter((c) => c.protocol === 'FTP').length)), 5);
    const results = await Promise.all(files.map(async (x) => {
      const up = await curl(['-T', x.p, `ftp://127.0.0.1:${f.port}/par/${x.name}`, '--ftp-create-dirs', '-u', `alice:${f.password}`], home.home);
      const down = await curl([`ftp://127.0.0.1:${f.port}/par/${x.name}`, '-o', `${x.p}.back`, '-u', `alice:${f.password}`], home.home);
      return { x, up, down };
    }));
    clearInterval(watch);
    for (const { x, up, down } of results) {
      assert.equal(up.code, 0, show(up));
      assert.equal(down.code, 0, show(down));
      assert.equal(sha(await readFile(path.join(f.home, 'par', x.name))), x.sum);
      assert.equal(sha(await readFile(`${x.p}.back`)), x.sum);
    }
    assert.ok(peak > 1, `sessions overlapped (peak ${peak})`);
  });

  test('50 sessions logged in at the same time are listed as FTP connections and each lists a directory', async () => {
    const sessions = await Promise.all(Array.from({ length: SESSIONS }, async () => {
      const { ftp } = await RawFtp.connect(f.port);
      assert.equal((await ftp.cmd('CLNT raw-parallel')).code, 200);
      assert.equal((await ftp.login('alice', f.password)).code, 230);
      return ftp;
    }));
    try {
      const conns = f.ctx.core.connections.list().filter((c) => c.client_version === 'raw-parallel');
      assert.equal(conns.filter((c) => c.protocol === 'FTP' && c.username === 'alice').length, SESSIONS);
      assert.equal(new Set(conns.map((c) => c.connection_id)).size, SESSIONS);
      await Promise.all(sessions.map(async (ftp) => {
        const data = await ftp.pasv();
        const body = RawFtp.readAll(data);
        assert.equal((await ftp.cmd('NLST')).code, 150);
        assert.match((await body).toString(), /par\r\n/);
        assert.equal((await ftp.next()).code, 226);
      }));
    } finally {
      for (const s of sessions) s.close();
    }
  });
});
