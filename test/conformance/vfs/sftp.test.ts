/**
 * The SFTP backend against a real OpenSSH sshd (internal-sftp) started for this file: the Fs
 * conformance suite unbuffered and buffered, then prefix confinement against links planted on
 * the remote side, host key checks, loop protection, the client version and reconnection.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile as writeHostFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createFsRegistry } from '../../../src/vfs/registry.js';
import { createSftpFs } from '../../../src/vfs/sftp/index.js';
import { SFTP_LOOP_MESSAGE } from '../../../src/vfs/sftp/session.js';
import { ErrorKind } from '../../../src/util/errors.js';
import { assertAvailable, needs } from '../../helpers/require.js';
import { startSshd, type Sshd } from '../../helpers/sshd.js';
import { runFsConformance } from './suite.js';
import { kindOf, names, readAll, writeFile } from './helpers.js';

const started = await startSshd();
const sshd: Sshd | undefined = typeof started === 'string' ? undefined : started;
const unavailable = typeof started === 'string' ? started : undefined;
after(() => sshd?.stop());

function sftpConfig(s: Sshd, prefix: string, extra: Record<string, unknown> = {}) {
  return {
    endpoint: `127.0.0.1:${s.port}`, username: s.username, private_key: { status: 'Plain', payload: s.clientKey },
    fingerprints: [s.hostFingerprint], prefix, ...extra,
  };
}

async function makeSftp(extra: Record<string, unknown> = {}) {
  const s = sshd!;
  const base = await mkdtemp(path.join(s.dir, 'remote-'));
  const prefix = path.join(base, 'root');
  await mkdir(prefix);
  const fs = await createFsRegistry().create(5, { root: prefix, config: sftpConfig(s, prefix, extra) });
  await fs.ensureRoot();
  return { fs, base, prefix, cleanup: () => rm(base, { recursive: true, force: true }) };
}

await runFsConformance('sftp', () => makeSftp(), { unavailable });
await runFsConformance('sftp buffered', () => makeSftp({ buffer_size: 1 }), { unavailable });

const available = needs(unavailable === undefined, `sftp: ${unavailable ?? ''}`);

async function withSftp(fn: (u: Awaited<ReturnType<typeof makeSftp>>) => Promise<void>, extra?: Record<string, unknown>): Promise<void> {
  assertAvailable(unavailable === undefined, `sftp: ${unavailable ?? ''}`);
  const u = await makeSftp(extra);
  try {
    await fn(u);
  } finally {
    await u.fs.close();
    await u.cleanup();
  }
}

test('sftp: links planted on the remote that point outside the prefix are refused', available, async () => {
  await withSftp(async (u) => {
    await writeHostFile(path.join(u.base, 'secret'), 'secret');
    await mkdir(path.join(u.base, 'outdir'));
    await symlink(path.join(u.base, 'secret'), path.join(u.prefix, 'esc'));
    await symlink(path.join(u.base, 'outdir'), path.join(u.prefix, 'escdir'));
    await symlink('..', path.join(u.prefix, 'up'));
    await symlink(path.join(u.base, 'nothere'), path.join(u.prefix, 'dangling'));
    assert.equal(await kindOf(u.fs.stat('/esc')), ErrorKind.PermissionDenied);
    assert.equal(await kindOf(u.fs.openRead('/esc')), ErrorKind.PermissionDenied);
    assert.equal(await kindOf(u.fs.openWrite('/escdir/new', { mode: 'truncate' })), ErrorKind.PermissionDenied);
    assert.equal(await kindOf(u.fs.openWrite('/dangling', { mode: 'truncate' })), ErrorKind.PermissionDenied);
    assert.equal(await kindOf(u.fs.mkdir('/up/x')), ErrorKind.PermissionDenied);
    assert.equal(await kindOf(u.fs.rename('/up/secret', '/stolen')), ErrorKind.PermissionDenied);
    assert.equal(await kindOf(u.fs.readlink('/esc')), ErrorKind.PermissionDenied);
    assert.equal(await kindOf(names(u.fs, '/escdir')), ErrorKind.PermissionDenied);
    assert.equal((await u.fs.lstat('/esc')).type, 'symlink', 'the link itself is visible');
    await u.fs.remove('/esc');
    assert.equal(await readFile(path.join(u.base, 'secret'), 'utf8'), 'secret');
    assert.deepEqual((await names(u.fs, '/')).sort(), ['dangling', 'escdir', 'up']);
  });
});

test('sftp: a host key matching no configured fingerprint is refused', available, async () => {
  assertAvailable(unavailable === undefined, `sftp: ${unavailable ?? ''}`);
  const fs = createSftpFs({ root: '/', config: sftpConfig(sshd!, '/', { fingerprints: ['SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'], private_key: sshd!.clientKey }) });
  try {
    assert.equal(await kindOf(fs.stat('/')), ErrorKind.PermissionDenied);
  } finally {
    await fs.close();
  }
});

test('sftp: loop protection refuses this server\'s own host key for a forbidden username', available, async () => {
  assertAvailable(unavailable === undefined, `sftp: ${unavailable ?? ''}`);
  const s = sshd!;
  const guard = { hostFingerprints: [s.hostFingerprint], forbiddenUsernames: [s.username] };
  const looped = createSftpFs({ root: '/', config: sftpConfig(s, '/', { private_key: s.clientKey }) }, guard);
  const other = createSftpFs({ root: '/', config: sftpConfig(s, '/', { private_key: s.clientKey }) }, { ...guard, forbiddenUsernames: ['someone-else'] });
  try {
    await assert.rejects(looped.stat('/'), (err: Error) => err.message.includes(SFTP_LOOP_MESSAGE));
    assert.equal((await other.stat('/')).type, 'dir', 'another username on the same host is fine');
  } finally {
    await looped.close();
    await other.close();
  }
});

test('sftp: the client announces SSH-2.0-SFTPGo_<version>; an unreachable server is Unavailable', async () => {
  let ident = '';
  const srv = net.createServer((sock) => sock.once('data', (d) => {
    ident = d.toString().split('\r\n')[0]!;
    sock.destroy();
  }));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  const fs = createSftpFs({ root: '/', config: { endpoint: `127.0.0.1:${port}`, username: 'u', password: 'p' } });
  try {
    assert.equal(await kindOf(fs.stat('/')), ErrorKind.Unavailable);
    assert.equal(ident, 'SSH-2.0-SFTPGo_2.1.2');
  } finally {
    await fs.close();
    srv.close();
  }
});

test('sftp: one connection serves every call and is re-established after a drop', available, async () => {
  await withSftp(async (u) => {
    await writeFile(u.fs, '/f', 'before');
    await sshd!.dropConnections();
    // The first call after the drop may fail (the channel died under it); the next one reconnects.
    let text = await readAll(u.fs, '/f').catch(() => undefined);
    text ??= await readAll(u.fs, '/f');
    assert.equal(text, 'before');
    await writeFile(u.fs, '/g', 'after');
    assert.equal(await readAll(u.fs, '/g'), 'after');
  });
});

test('sftp: disable_concurrent_reads streams one request at a time, same bytes', available, async () => {
  await withSftp(async (u) => {
    const data = Buffer.alloc(600_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
    await writeFile(u.fs, '/f', data);
    const r = await u.fs.openRead('/f', { offset: 100_000 });
    const chunks: Buffer[] = [];
    for await (const c of r.stream() as AsyncIterable<Buffer>) chunks.push(c);
    await r.close();
    assert.ok(Buffer.concat(chunks).equals(data.subarray(100_000)));
  }, { disable_concurrent_reads: true });
});

test('sftp: invalid configurations list every problem', async () => {
  const make = (config: unknown) => kindOf(Promise.resolve().then(() => createSftpFs({ root: '/', config })));
  await Promise.all([
    make({}).then((k) => assert.equal(k, ErrorKind.InvalidInput)),
    make({ endpoint: 'host', username: 'u', password: 'p' }).then((k) => assert.equal(k, ErrorKind.InvalidInput)),
    make({ endpoint: 'h:22', username: 'u' }).then((k) => assert.equal(k, ErrorKind.InvalidInput)),
    make({ endpoint: 'h:22', username: 'u', password: 'p', buffer_size: 17 }).then((k) => assert.equal(k, ErrorKind.InvalidInput)),
    make({ endpoint: '[::1]:2022', username: 'u', password: 'p', buffer_size: 16, prefix: 'a/b/../c/' }).then((k) => assert.equal(k, 'ok')),
  ]);
});

