/**
 * Quota across renames (INVENTORY §4.3, §4.6): moving between the home and virtual folders moves the
 * usage; a rename into an owner without room is refused before anything moves; moving within the same
 * quota (home ↔ folder included in the user quota) is never refused for lack of room.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { download, kindOf, makeEnv, upload } from '../../integration/core/fixture.js';

const KB = 1024;

const folders = (base: string) => [
  { name: 'small', mapped_path: path.join(base, 'small'), virtual_path: '/small', quota_size: 4 * KB, quota_files: 2 },
  { name: 'inc', mapped_path: path.join(base, 'inc'), virtual_path: '/inc', quota_size: -1, quota_files: -1 },
  { name: 'free', mapped_path: path.join(base, 'free'), virtual_path: '/free', quota_size: 0, quota_files: 0 },
];

test('quota rename: into a folder without room (size or files) is refused and nothing moves', async () => {
  const env = await makeEnv({ user: { quota_size: 100 * KB }, folders });
  try {
    const c = await env.connect();
    await upload(c, '/big', Buffer.alloc(5 * KB));
    assert.equal(await kindOf(c.rename('/big', '/small/big')), 'QuotaExceeded');
    assert.equal((await c.stat('/big')).size, 5 * KB);
    await c.mkdir('/three');
    for (const n of ['a', 'b', 'c']) await upload(c, `/three/${n}`, 'x');
    assert.equal(await kindOf(c.rename('/three', '/small/three')), 'QuotaExceeded', 'three files into a two-file folder');
    assert.equal(await download(c, '/three/c'), 'x');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 5 * KB + 3, usedFiles: 4 });
    assert.equal(env.provider.quota.get('f:small'), undefined, 'the folder was never charged');
  } finally {
    await env.cleanup();
  }
});

test('quota rename: home and an included folder share the user quota, so a full user can still move', async () => {
  const env = await makeEnv({ user: { quota_size: 4 * KB }, folders });
  try {
    const c = await env.connect();
    await upload(c, '/f', Buffer.alloc(4 * KB));
    assert.equal(await kindOf(upload(c, '/g', 'x')), 'QuotaExceeded', 'the user is full');
    await c.rename('/f', '/inc/f');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 4 * KB, usedFiles: 1 }, 'the user total is unchanged');
    assert.deepEqual(env.provider.quota.get('f:inc'), { usedSize: 4 * KB, usedFiles: 1 });
    await c.rename('/inc/f', '/f2');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 4 * KB, usedFiles: 1 });
    assert.deepEqual(env.provider.quota.get('f:inc'), { usedSize: 0, usedFiles: 0 });
  } finally {
    await env.cleanup();
  }
});

test('quota rename: moves usage between owners, overwrites give the replaced file back', async () => {
  const env = await makeEnv({ user: { quota_size: 100 * KB }, folders });
  try {
    const c = await env.connect();
    await upload(c, '/a', Buffer.alloc(3 * KB));
    await c.rename('/a', '/small/a');
    assert.deepEqual(env.provider.quota.get('f:small'), { usedSize: 3 * KB, usedFiles: 1 });
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 0, usedFiles: 0 });
    await upload(c, '/free/a', Buffer.alloc(1 * KB));
    await c.rename('/small/a', '/free/a');
    assert.deepEqual(env.provider.quota.get('f:small'), { usedSize: 0, usedFiles: 0 });
    assert.deepEqual(env.provider.quota.get('f:free'), { usedSize: 3 * KB, usedFiles: 1 }, 'replaced 1 KiB file given back');
    await c.mkdir('/free/d');
    await upload(c, '/free/d/x', Buffer.alloc(KB));
    await upload(c, '/free/d/y', Buffer.alloc(KB));
    await c.rename('/free/d', '/d');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 2 * KB, usedFiles: 2 }, 'a directory moves all its files');
    assert.deepEqual(env.provider.quota.get('f:free'), { usedSize: 3 * KB, usedFiles: 1 });
  } finally {
    await env.cleanup();
  }
});

test('quota rename: track_quota 0 never refuses nor counts', async () => {
  const env = await makeEnv({ trackQuota: 0, user: { quota_size: 1 }, folders });
  try {
    const c = await env.connect();
    await upload(c, '/big', Buffer.alloc(10 * KB));
    await c.rename('/big', '/small/big');
    assert.equal(env.provider.quota.size, 0);
  } finally {
    await env.cleanup();
  }
});
