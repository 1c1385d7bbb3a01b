import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink, writeFile, readFile, readdir, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createFsRegistry } from '../../../src/vfs/registry.js';
import { ErrorKind, isSftpGoError } from '../../../src/util/errors.js';
import { runFsConformance } from './suite.js';

async function makeLocal() {
  const base = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-vfs-'));
  const root = path.join(base, 'root');
  const fs = await createFsRegistry().create(0, { root, config: undefined });
  await fs.ensureRoot();
  return { fs, base, root, cleanup: () => rm(base, { recursive: true, force: true }) };
}

await runFsConformance('local', makeLocal);

async function kind(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return isSftpGoError(err) ? err.kind : `raw:${String(err)}`;
  }
}

test('local: symlinks pointing outside the root are refused', async () => {
  const u = await makeLocal();
  try {
    await writeFile(path.join(u.base, 'secret'), 'secret');
    await mkdir(path.join(u.base, 'outdir'));
    await symlink(path.join(u.base, 'secret'), path.join(u.root, 'esc'));
    await symlink(path.join(u.base, 'outdir'), path.join(u.root, 'escdir'));
    await symlink(path.join(u.base, 'nothere'), path.join(u.root, 'dangling'));
    assert.equal(await kind(u.fs.stat('/esc')), ErrorKind.PermissionDenied);
    assert.equal(await kind(u.fs.openRead('/esc')), ErrorKind.PermissionDenied);
    assert.equal(await kind(u.fs.openWrite('/escdir/new', { mode: 'truncate' })), ErrorKind.PermissionDenied);
    assert.equal(await kind(u.fs.mkdir('/escdir/sub')), ErrorKind.PermissionDenied);
    assert.equal(await kind(u.fs.openWrite('/dangling', { mode: 'truncate' })), ErrorKind.PermissionDenied);
    assert.equal(await kind(u.fs.readlink('/esc')), ErrorKind.PermissionDenied);
    assert.equal(await kind(u.fs.list('/escdir')[Symbol.asyncIterator]().next()), ErrorKind.PermissionDenied);
    // the link itself can still be seen and removed
    assert.equal((await u.fs.lstat('/esc')).type, 'symlink');
    await u.fs.remove('/esc');
    assert.equal(await readFile(path.join(u.base, 'secret'), 'utf8'), 'secret');
  } finally {
    await u.cleanup();
  }
});

test('local: a symlink to a parent (relative "..") or chained through the home cannot be followed out', async () => {
  const u = await makeLocal();
  try {
    await writeFile(path.join(u.base, 'secret'), 'secret');
    await writeFile(path.join(u.root, 'f'), 'inside');
    await symlink('..', path.join(u.root, 'up'));
    await symlink('up', path.join(u.root, 'chain'));
    await symlink('.', path.join(u.root, 'self'));
    await symlink(u.base, path.join(u.root, 'abs'));
    for (const link of ['/up', '/chain', '/abs']) {
      assert.equal(await kind(u.fs.stat(`${link}/secret`)), ErrorKind.PermissionDenied, link);
      assert.equal(await kind(u.fs.openRead(`${link}/secret`)), ErrorKind.PermissionDenied, link);
      assert.equal(await kind(u.fs.openWrite(`${link}/new`, { mode: 'truncate' })), ErrorKind.PermissionDenied, link);
      assert.equal(await kind(u.fs.mkdir(`${link}/d`)), ErrorKind.PermissionDenied, link);
      assert.equal(await kind(u.fs.remove(`${link}/secret`)), ErrorKind.PermissionDenied, link);
      assert.equal(await kind(u.fs.rename('/f', `${link}/moved`)), ErrorKind.PermissionDenied, link);
      assert.equal(await kind(u.fs.rename(`${link}/secret`, '/stolen')), ErrorKind.PermissionDenied, link);
      assert.equal(await kind(u.fs.setStat(`${link}/secret`, { mode: 0o777 })), ErrorKind.PermissionDenied, link);
      assert.equal(await kind(u.fs.symlink('/f', `${link}/l`)), ErrorKind.PermissionDenied, link);
      assert.equal(await kind(u.fs.link!('/f', `${link}/h`)), ErrorKind.PermissionDenied, link);
      assert.equal(await kind(u.fs.statfs(link)), ErrorKind.PermissionDenied, link);
      assert.equal(await kind(u.fs.list(link)[Symbol.asyncIterator]().next()), ErrorKind.PermissionDenied, link);
    }
    assert.equal(await kind(u.fs.readlink('/up')), ErrorKind.PermissionDenied);
    assert.equal(await kind(u.fs.readlink('/abs')), ErrorKind.PermissionDenied);
    assert.equal(await u.fs.readlink('/chain'), '/up', 'the first hop stays inside');
    assert.equal(await kind(u.fs.localPath!('/up/secret')), ErrorKind.PermissionDenied);
    assert.equal((await u.fs.stat('/self/f')).size, 6, 'a link that stays inside is followed');
    assert.equal(await u.fs.readlink('/self'), '/');
    assert.equal(await readFile(path.join(u.base, 'secret'), 'utf8'), 'secret');
    assert.deepEqual((await readdir(u.base)).sort(), ['root', 'secret']);
  } finally {
    await u.cleanup();
  }
});

test('local: writing through a symlink follows it inside the root and refuses it outside', async () => {
  const u = await makeLocal();
  try {
    await writeFile(path.join(u.base, 'secret'), 'secret');
    await writeFile(path.join(u.root, 'target'), 'old');
    await symlink(path.join(u.root, 'target'), path.join(u.root, 'inlink'));
    await symlink(path.join(u.base, 'secret'), path.join(u.root, 'esc'));
    await symlink(path.join(u.root, 'newtarget'), path.join(u.root, 'danglingin'));
    for (const mode of ['truncate', 'append', 'resume'] as const) {
      assert.equal(await kind(u.fs.openWrite('/esc', { mode })), ErrorKind.PermissionDenied, mode);
    }
    assert.equal(await readFile(path.join(u.base, 'secret'), 'utf8'), 'secret');
    const h = await u.fs.openWrite('/inlink', { mode: 'truncate' });
    await h.write(Buffer.from('new'), 0);
    await h.close();
    assert.equal(await readFile(path.join(u.root, 'target'), 'utf8'), 'new', 'the link target is written');
    assert.equal((await u.fs.lstat('/inlink')).type, 'symlink', 'the link stays a link');
    const d = await u.fs.openWrite('/danglingin', { mode: 'truncate' });
    await d.close();
    assert.equal((await u.fs.stat('/newtarget')).type, 'file', 'a dangling link inside the root creates its target');
  } finally {
    await u.cleanup();
  }
});

test('local: writev writes every buffer back to back, at a position or appended', async () => {
  const u = await makeLocal();
  try {
    const parts = ['ab', '', 'cde', 'f'].map((t) => Buffer.from(t));
    const h = await u.fs.openWrite('/v', { mode: 'truncate' });
    assert.ok(h.writev, 'local handles write vectors');
    await h.writev(parts, 0);
    await h.writev([Buffer.from('XY'), Buffer.from('Z')], 2);
    assert.equal((await h.storedInfo!()).size, 6, 'the open handle reports the stored size');
    await h.close();
    assert.equal(await readFile(path.join(u.root, 'v'), 'utf8'), 'abXYZf');
    const a = await u.fs.openWrite('/v', { mode: 'append' });
    await a.writev!([Buffer.from('1'), Buffer.from('23')], 0);
    await a.close();
    assert.equal(await readFile(path.join(u.root, 'v'), 'utf8'), 'abXYZf123');
  } finally {
    await u.cleanup();
  }
});

test('local: openReadInfo opens and reports the file opened, with the same confinement as openRead', async () => {
  const u = await makeLocal();
  try {
    await writeFile(path.join(u.base, 'secret'), 'secret');
    await writeFile(path.join(u.root, 'f'), 'hello');
    await mkdir(path.join(u.root, 'd'));
    await symlink(path.join(u.base, 'secret'), path.join(u.root, 'esc'));
    await symlink(path.join(u.root, 'f'), path.join(u.root, 'inlink'));
    const { handle, info } = await u.fs.openReadInfo!('/inlink', { offset: 1 });
    assert.deepEqual([info.name, info.type, info.size], ['inlink', 'file', 5]);
    const buf = Buffer.alloc(8);
    assert.equal(await handle.read(buf, 1), 4);
    assert.equal(buf.subarray(0, 4).toString(), 'ello');
    assert.equal(await handle.read(Buffer.alloc(64), 0), 5, 'the whole file, in a larger buffer');
    await writeFile(path.join(u.root, 'f'), 'hello world');
    const more = Buffer.alloc(64);
    assert.equal(await handle.read(more, 5), 6, 'what the file grew by since open is read by the next call');
    assert.equal(more.subarray(0, 6).toString(), ' world');
    await handle.close();
    const dir = await u.fs.openReadInfo!('/d');
    assert.equal(dir.info.type, 'dir', 'a directory opens and says so');
    await dir.handle.close();
    assert.equal(await kind(u.fs.openReadInfo!('/esc')), ErrorKind.PermissionDenied);
    assert.equal(await kind(u.fs.openReadInfo!('/nothere')), ErrorKind.NotFound);
  } finally {
    await u.cleanup();
  }
});

test('local: names keep their bytes (no Unicode normalisation)', async () => {
  const u = await makeLocal();
  try {
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    const h1 = await u.fs.openWrite(`/${nfc}`, { mode: 'truncate' });
    await h1.write(Buffer.from('1'), 0);
    await h1.close();
    const h2 = await u.fs.openWrite(`/${nfd}`, { mode: 'truncate' });
    await h2.write(Buffer.from('22'), 0);
    await h2.close();
    assert.equal((await u.fs.stat(`/${nfc}`)).size, 1);
    assert.equal((await u.fs.stat(`/${nfd}`)).size, 2);
    assert.equal(await kind(u.fs.stat('/%2e%2e/secret')), ErrorKind.NotFound);
  } finally {
    await u.cleanup();
  }
});

test('registry: unknown backends are NotSupported', async () => {
  const reg = createFsRegistry();
  assert.equal(reg.has('local'), true);
  for (const cloud of ['s3', 'gcs', 'azblob']) assert.equal(reg.has(cloud), true, cloud);
  await assert.rejects(reg.create('nosuch', { root: '/tmp', config: {} }), /not supported: storage backend nosuch is not built yet/);
});

test('local: ensureRoot creates the root and chowns it when running as root', { skip: process.getuid?.() !== 0 ? 'needs root' : undefined }, async () => {
  const base = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-vfs-'));
  try {
    const root = path.join(base, 'a', 'b');
    const fs = await createFsRegistry().create('local', { root, config: undefined, uid: 4242, gid: 4343 });
    await fs.ensureRoot({ uid: 4242, gid: 4343 });
    const st = await fs.stat('/');
    assert.equal(st.type, 'dir');
    assert.equal(st.uid, 4242);
    await fs.mkdir('/sub');
    assert.equal((await fs.stat('/sub')).gid, 4343, 'new dirs get the user gid');
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});
