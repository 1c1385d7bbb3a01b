import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { VirtualFolder } from '../../../src/dataprovider/models.js';
import { kindOf, makeEnv, upload } from '../../integration/core/fixture.js';

const folder = (base: string): VirtualFolder[] => [{ name: 'vf', mapped_path: path.join(base, 'vf'), virtual_path: '/vf' } as VirtualFolder];

test('copy: a tree is copied and counted; existing targets, mount points and missing permissions are refused', async () => {
  const env = await makeEnv({ folders: folder, user: { permissions: { '/': ['*'], '/ro': ['list', 'download'] } } });
  try {
    const c = await env.connect();
    await c.mkdir('/src');
    await c.mkdir('/ro');
    await upload(c, '/src/a', 'aaa');
    await upload(c, '/src/b', 'bb');
    const before = env.provider.quota.get('u:alice')!;
    await c.copy('/src', '/dst');
    assert.equal(await readFile(path.join(env.home, 'dst', 'b'), 'utf8'), 'bb');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: before.usedSize + 5, usedFiles: before.usedFiles + 2 });
    assert.equal(await kindOf(c.copy('/src', '/dst')), 'Exists');
    assert.equal(await kindOf(c.copy('/src', '/ro/dst')), 'PermissionDenied');
    assert.equal(await kindOf(c.copy('/', '/x')), 'NotSupported');
    assert.equal(await kindOf(c.copy('/src', '/src/inner')), 'InvalidInput');
  } finally {
    await env.cleanup();
  }
});

test('removeAll: recursive delete with the quota given back; root and mount points refused', async () => {
  const env = await makeEnv({ folders: folder });
  try {
    const c = await env.connect();
    await c.mkdir('/t');
    await c.mkdir('/t/x');
    await upload(c, '/t/x/f', '12345');
    const before = env.provider.quota.get('u:alice')!;
    await c.removeAll('/t');
    await assert.rejects(stat(path.join(env.home, 't')));
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: before.usedSize - 5, usedFiles: before.usedFiles - 1 });
    assert.equal(await kindOf(c.removeAll('/')), 'PermissionDenied');
    assert.equal(await kindOf(c.removeAll('/vf')), 'PermissionDenied');
  } finally {
    await env.cleanup();
  }
});

test('system command target: local path, permissions, folders and patterns checked; quota re-scanned on finish', async () => {
  const env = await makeEnv({
    folders: folder,
    user: {
      permissions: { '/': ['*'], '/limited': ['list', 'download'] },
      filters: { file_patterns: [{ path: '/pat', denied_patterns: ['*.x'] }] },
    },
  });
  try {
    const c = await env.connect();
    await c.mkdir('/repo');
    const t = await c.systemCommandTarget('/repo');
    assert.equal(t.hostPath, path.join(env.home, 'repo'));
    assert.equal(t.canSymlink, true);
    assert.equal(t.maxInputBytes, Infinity);
    await mkdir(path.join(env.home, 'repo', 'objects'), { recursive: true });
    await writeFile(path.join(env.home, 'repo', 'objects', 'o1'), 'abcdef');
    await t.finish('git-receive-pack /repo', true);
    assert.equal(env.provider.quota.get('u:alice')!.usedFiles, 1);
    assert.equal(env.provider.quota.get('u:alice')!.usedSize, 6);
    assert.equal(await kindOf(c.systemCommandTarget('/limited')), 'PermissionDenied');
    assert.equal(await kindOf(c.systemCommandTarget('/')), 'NotSupported', 'the root contains a virtual folder');
    assert.equal(await kindOf(c.systemCommandTarget('/vf/repo')), 'NotSupported');
    assert.equal(await kindOf(c.systemCommandTarget('/pat/repo')), 'NotSupported');
  } finally {
    await env.cleanup();
  }
});
