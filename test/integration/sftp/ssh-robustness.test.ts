/**
 * What a running server must survive and report: garbage bytes on the port while other sessions
 * transfer, a client killed mid-upload in atomic mode (nothing partial becomes visible), the
 * connections API (protocol, client version, last command, transfers) and its admin close, and
 * protocols other than SFTP on a session channel (shell, port forwarding) refused.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { fileHash, homeOf, randomFile, run, scratchDir, sftpBatch, sshOptions, start, startServer, type Harness } from './harness.js';

const clients = needsBinaries('sftp', 'ssh', 'ssh-keygen');
let h: Harness;
let key: string;
let pub: string;
let scratch: string;
let big: string;

before(async () => {
  h = await startServer({ common: { upload_mode: 1 } });
  ({ key, pub } = await h.userKey('robust'));
  scratch = await scratchDir('sftpgo-robust-');
  big = path.join(scratch, 'big.bin');
  await randomFile(big, 16 * 1024 * 1024);
  // 2 MiB/s: an upload of `big` lasts long enough to be watched and killed.
  await h.addUser({ username: 'slow', public_keys: [pub], upload_bandwidth: 2048 });
  await h.addUser({ username: 'fast', public_keys: [pub] });
});

after(async () => {
  await h?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Polls the server state every 50 ms for up to 30 s (no timing assertion). */
async function waitFor<T>(fn: () => T | undefined | false): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}

/** Sends random bytes on raw TCP connections until the server closes them. */
function garbage(port: number): Promise<void> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write('SSH-2.0-garbage\r\n');
      s.write(randomBytes(64 * 1024));
      s.write(randomBytes(1024));
    });
    s.on('error', () => resolve());
    s.on('close', () => resolve());
    s.resume();
  });
}

test('garbage on the port does not disturb a transfer in progress', clients, async () => {
  const transfer = sftpBatch(h, 'fast', `put ${big} ok.bin\nget ok.bin ${path.join(scratch, 'ok.back')}\n`, { key });
  await Promise.all(Array.from({ length: 8 }, () => garbage(h.port)));
  const r = await transfer;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await fileHash(path.join(scratch, 'ok.back')), await fileHash(big));
});

test('connections API shows the session; a client killed mid-upload leaves nothing in atomic mode', clients, async () => {
  const child = start('sftp', [...sshOptions(h.port, { key }), '-P', String(h.port), '-b', '-', 'slow@127.0.0.1']);
  child.stdin!.end(`put ${big} partial.bin\n`);
  const conn = await waitFor(() => h.ctx.core.connections.list().find((c) => c.username === 'slow' && c.active_transfers.some((t) => t.size > 0)));
  assert.equal(conn.protocol, 'SFTP');
  assert.match(conn.client_version, /^SSH-2\.0-OpenSSH_/);
  assert.equal(conn.command, 'upload /partial.bin');
  assert.match(conn.connection_id, /^SFTP_[0-9a-f]{64}_\d+$/);
  assert.equal(conn.active_transfers[0]!.operation_type, 'upload');
  assert.equal(conn.active_transfers[0]!.path, '/partial.bin');
  // The upload goes to a temp name: nothing visible under the target name while it runs.
  assert.ok(!(await readdir(homeOf(h, 'slow'))).includes('partial.bin'));
  child.kill('SIGKILL');
  await waitFor(() => !h.ctx.core.connections.list().some((c) => c.username === 'slow'));
  assert.deepEqual(await readdir(homeOf(h, 'slow')), [], 'no target and no temp file left');
});

test('an admin close ends the client session', clients, async () => {
  // ssh itself (not the sftp program, which lingers on an open stdin) exits when the channel closes.
  const child = start('ssh', [...sshOptions(h.port, { key }), '-p', String(h.port), '-s', 'fast@127.0.0.1', 'sftp']);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const conn = await waitFor(() => h.ctx.core.connections.list().find((c) => c.username === 'fast'));
  assert.equal(await h.ctx.core.connections.close(conn.connection_id), true);
  assert.notEqual(await exited, null);
});

test('shell, pty and port forwarding are refused', clients, async () => {
  const base = [...sshOptions(h.port, { key }), '-p', String(h.port)];
  const shell = await run('ssh', [...base, '-tt', 'fast@127.0.0.1'], { timeoutMs: 30_000 });
  assert.notEqual(shell.code, 0);
  const fwd = await run('ssh', [...base, '-o', 'ExitOnForwardFailure=yes', '-N', '-L', '0:127.0.0.1:9', 'fast@127.0.0.1'], { timeoutMs: 30_000 });
  assert.notEqual(fwd.code, 0);
});
