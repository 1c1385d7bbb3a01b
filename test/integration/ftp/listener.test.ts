/**
 * Listener features: PROXY protocol on the control connection and on passive data connections
 * (the real client address is used for the rules and for the passive peer check),
 * force_passive_ip in PASV replies, and a client refused by the core gate getting 421.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startFtp } from './fixture.js';
import { RawFtp } from './raw-client.js';

const header = (ip: string, port: number) => `PROXY TCP4 ${ip} 127.0.0.1 ${port} 21\r\n`;

describe('FTP listener', () => {
  test('PROXY protocol: the header address is the client, for the session and for passive data connections', async () => {
    const f = await startFtp({ config: { common: { proxy_protocol: 1 } } });
    const { ftp, greeting } = await RawFtp.connect(f.port, header('10.9.8.7', 4321));
    try {
      assert.equal(greeting.code, 220);
      await mkdir(f.home, { recursive: true });
      await writeFile(path.join(f.home, 'p.txt'), 'proxied\n');
      assert.equal((await ftp.login('alice', f.password)).code, 230);
      assert.equal(f.ctx.core.connections.list()[0]!.remote_address, '10.9.8.7:4321');
      const port = Number(/\(\|\|\|(\d+)\|\)/.exec((await ftp.cmd('EPSV')).text)![1]);
      const direct = connect(port, '127.0.0.1');
      direct.on('error', () => undefined);
      direct.write('no header: this is 127.0.0.1, not the client');
      await new Promise<void>((res) => direct.once('close', () => res()));
      const data = connect(port, '127.0.0.1');
      await new Promise<void>((res) => data.once('connect', () => res()));
      data.write(header('10.9.8.7', 5555));
      const body = RawFtp.readAll(data);
      assert.equal((await ftp.cmd('RETR p.txt')).code, 150);
      assert.equal((await body).toString(), 'proxied\n');
      assert.equal((await ftp.next()).code, 226);
    } finally {
      ftp.close();
      await f.close();
    }
  });

  test('PROXY protocol required (2): a connection without a header is dropped', async () => {
    const f = await startFtp({ config: { common: { proxy_protocol: 2 } } });
    try {
      const sock = connect(f.port, '127.0.0.1');
      sock.on('error', () => undefined);
      sock.write('USER alice\r\n');
      const got: Buffer[] = [];
      sock.on('data', (d: Buffer) => got.push(d));
      await new Promise<void>((res) => sock.once('close', () => res()));
      assert.equal(Buffer.concat(got).length, 0);
    } finally {
      await f.close();
    }
  });

  test('force_passive_ip is the address PASV advertises', async () => {
    const f = await startFtp({ config: { ftpd: { bindings: [{ address: '127.0.0.1', port: 2121, force_passive_ip: '203.0.113.9' }] } } });
    const { ftp } = await RawFtp.connect(f.port);
    try {
      await ftp.login('alice', f.password);
      assert.match((await ftp.cmd('PASV')).text, /\(203,0,113,9,\d+,\d+\)$/);
    } finally {
      ftp.close();
      await f.close();
    }
  });

  test('a client over max_per_host_connections is told why with 421', async () => {
    const f = await startFtp({ config: { common: { max_per_host_connections: 1 } } });
    const first = await RawFtp.connect(f.port);
    try {
      assert.equal(first.greeting.code, 220);
      const second = await RawFtp.connect(f.port);
      assert.equal(second.greeting.code, 421);
      assert.match(second.greeting.text, /^Access denied: too many open connections/);
      second.ftp.close();
    } finally {
      first.ftp.close();
      await f.close();
    }
  });
});
