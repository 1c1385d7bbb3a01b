import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalFs } from '../../../src/vfs/local/index.js';
import { download, kindOf, makeEnv, names, upload } from '../../integration/core/fixture.js';

const folders = (base: string) => [
  { name: 'a', mapped_path: path.join(base, 'fa'), virtual_path: '/a' },
  { name: 'ab', mapped_path: path.join(base, 'fab'), virtual_path: '/a/b' },
  { name: 'deep', mapped_path: path.join(base, 'fdeep'), virtual_path: '/x/y/z' },
];

test('vfolders: deepest mount wins; mount points listed and stat as dirs', async () => {
  const env = await makeEnv({ folders });
  try {
    const c = await env.connect();
    await upload(c, '/a/in-a', 'A');
    await upload(c, '/a/b/in-ab', 'AB');
    assert.equal(await readFile(path.join(env.base, 'fa', 'in-a'), 'utf8'), 'A');
    assert.equal(await readFile(path.join(env.base, 'fab', 'in-ab'), 'utf8'), 'AB');
    assert.deepEqual(await names(c, '/'), ['a/']);
    assert.deepEqual(await names(c, '/a'), ['b/', 'in-a']);
    assert.equal((await c.stat('/a/b')).type, 'dir');
    assert.equal((await c.stat('/x/y/z')).type, 'dir');
    assert.equal(await download(c, '/a/b/in-ab'), 'AB');
    assert.equal(await kindOf(c.stat('/a/../a/b/../../../fab/in-ab')), 'NotFound');
  } finally {
    await env.cleanup();
  }
});

test('vfolders: mount points cannot be created, removed or renamed', async () => {
  const env = await makeEnv({ folders });
  try {
    const c = await env.connect();
    await mkdir(path.join(env.home, 'x', 'y'), { recursive: true });
    assert.equal(await kindOf(c.mkdir('/a')), 'PermissionDenied');
    assert.equal(await kindOf(c.rmdir('/a/b')), 'PermissionDenied');
    assert.equal(await kindOf(c.rename('/a', '/c')), 'PermissionDenied');
    assert.equal(await kindOf(c.rename('/x', '/c')), 'NotSupported', 'dir containing mounts');
    assert.equal(await kindOf(c.rmdir('/x/y')), 'NotSupported', 'dir containing mounts');
    assert.equal(await kindOf(upload(c, '/a', 'x')), 'NotSupported');
    assert.equal(await kindOf(c.symlink('/a/in', '/l')), 'NotSupported', 'no cross-folder links (SFTPGo: op unsupported)');
  } finally {
    await env.cleanup();
  }
});

test('vfolders: cross-folder rename between local folders moves quota; other backends refused', async () => {
  const env = await makeEnv({
    folders: (base) => [
      ...folders(base),
      { name: 'cloud', mapped_path: path.join(base, 'fcloud'), virtual_path: '/cloud', filesystem: { provider: 1 } },
    ],
  });
  try {
    const c = await env.connect();
    await upload(c, '/f', '12345');
    await c.rename('/f', '/a/f');
    assert.deepEqual(env.provider.quota.get('f:a'), { usedSize: 5, usedFiles: 1 });
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 0, usedFiles: 0 });
    await c.mkdir('/a/dir');
    await upload(c, '/a/dir/g', '12');
    await c.rename('/a/dir', '/a/b/dir');
    assert.deepEqual(env.provider.quota.get('f:ab'), { usedSize: 2, usedFiles: 1 });
    assert.equal(await download(c, '/a/b/dir/g'), '12');
    assert.equal(await kindOf(c.stat('/cloud')), 'InvalidInput', 'an s3 folder without s3config (no bucket) cannot be built');
  } finally {
    await env.cleanup();
  }
});

test('vfolders: rename to a non-local backend is NotSupported', async () => {
  const env = await makeEnv({
    folders: (base) => [{ name: 'fake', mapped_path: path.join(base, 'ffake'), virtual_path: '/fake', filesystem: { provider: 1 } }],
  });
  try {
    // A stand-in "s3" that behaves like local storage: the rule is about the declared provider.
    const reg = (env.registry as unknown as { deps: { fsRegistry: { register(n: string, f: unknown): void } } }).deps.fsRegistry;
    reg.register('s3', (o: ConstructorParameters<typeof LocalFs>[0]) => new LocalFs(o));
    await mkdir(path.join(env.base, 'ffake'), { recursive: true });
    await writeFile(path.join(env.base, 'ffake', 'o'), 'o');
    const c = await env.connect();
    await upload(c, '/f', 'x');
    assert.equal(await kindOf(c.rename('/f', '/fake/f')), 'NotSupported');
    assert.equal(await kindOf(c.rename('/fake/o', '/o')), 'NotSupported');
    assert.equal(await download(c, '/fake/o'), 'o');
  } finally {
    await env.cleanup();
  }
});
