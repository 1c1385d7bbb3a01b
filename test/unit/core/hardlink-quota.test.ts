/**
 * Hard links and quota: a link is charged as a new file of the source's size, checked like an
 * upload of that size; deleting the original no longer leaves bytes uncounted; writes that would
 * change the bytes of every name at once (append, truncate) do not slip past the count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { download, kindOf, makeEnv, upload } from '../../integration/core/fixture.js';

const KB = 1024;

test('hard link: charged as a new file; the delete-original loop frees nothing', async () => {
  const env = await makeEnv({ user: { quota_size: 10 * KB } });
  try {
    const c = await env.connect();
    await upload(c, '/a', Buffer.alloc(4 * KB, 1));
    await c.link('/a', '/b');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 8 * KB, usedFiles: 2 });
    await c.remove('/a');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 4 * KB, usedFiles: 1 }, 'b is still counted');
    await c.link('/b', '/c');
    await c.remove('/b');
    await c.link('/c', '/d');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 8 * KB, usedFiles: 2 });
    assert.equal(await kindOf(c.link('/d', '/e')), 'QuotaExceeded', '12 KiB would pass the 10 KiB limit');
    await assert.rejects(stat(path.join(env.home, 'e')), 'nothing was linked');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 8 * KB, usedFiles: 2 });
  } finally {
    await env.cleanup();
  }
});

test('hard link: files limit, max_upload_file_size, existing names, directories, permissions', async () => {
  const env = await makeEnv({
    user: { quota_files: 2, filters: { max_upload_file_size: 3 * KB }, permissions: { '/': ['*'], '/ro': ['list', 'download'], '/nodl': ['list', 'upload', 'delete'] } },
  });
  try {
    const c = await env.connect();
    await c.mkdir('/ro');
    await c.mkdir('/nodl');
    await upload(c, '/small', 'x');
    assert.equal(await kindOf(c.link('/small', '/ro/l')), 'PermissionDenied', 'upload needed on the new parent');
    await upload(c, '/nodl/f', 'y');
    assert.equal(await kindOf(c.link('/nodl/f', '/l')), 'PermissionDenied', 'download needed on the source');
    assert.equal(await kindOf(c.link('/small', '/nodl/f')), 'Exists', 'never over an existing name');
    assert.equal(await readFile(path.join(env.home, 'nodl', 'f'), 'utf8'), 'y');
    assert.equal(await kindOf(c.link('/ro', '/dirlink')), 'NotSupported', 'directories are refused');
    assert.equal(await kindOf(c.link('/small', '/third')), 'QuotaExceeded', 'the files limit is 2');
    await c.remove('/nodl/f');
    await c.link('/small', '/second');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 2, usedFiles: 2 });
  } finally {
    await env.cleanup();
  }
  const big = await makeEnv({ user: { filters: { max_upload_file_size: 3 * KB } } });
  try {
    const c = await big.connect();
    await writeFile(path.join(big.home, 'big'), Buffer.alloc(4 * KB));
    assert.equal(await kindOf(c.link('/big', '/big2')), 'QuotaExceeded', 'a 4 KiB upload would pass max_upload_file_size');
  } finally {
    await big.cleanup();
  }
});

test('hard link: folders with their own quota and folders included in the user quota (-1)', async () => {
  const env = await makeEnv({
    user: { quota_size: 100 * KB },
    folders: (base) => [
      { name: 'own', mapped_path: path.join(base, 'own'), virtual_path: '/own', quota_size: 3 * KB, quota_files: 0 },
      { name: 'inc', mapped_path: path.join(base, 'inc'), virtual_path: '/inc', quota_size: -1, quota_files: -1 },
    ],
  });
  try {
    const c = await env.connect();
    await upload(c, '/own/a', Buffer.alloc(2 * KB));
    assert.equal(await kindOf(c.link('/own/a', '/own/b')), 'QuotaExceeded', 'the folder has 1 KiB left');
    await upload(c, '/inc/a', Buffer.alloc(2 * KB));
    await c.link('/inc/a', '/inc/b');
    assert.deepEqual(env.provider.quota.get('f:inc'), { usedSize: 4 * KB, usedFiles: 2 });
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 4 * KB, usedFiles: 2 }, 'an included folder charges the user too');
    assert.equal(await kindOf(c.link('/inc/a', '/x')), 'NotSupported', 'never across mounts');
  } finally {
    await env.cleanup();
  }
});

test('hard link: track_quota 0 links without counting; track_quota 2 counts only users with limits', async () => {
  const off = await makeEnv({ trackQuota: 0, user: { quota_size: 1 } });
  try {
    const c = await off.connect();
    await upload(c, '/a', 'abc');
    await c.link('/a', '/b');
    assert.equal(off.provider.quota.get('u:alice'), undefined);
  } finally {
    await off.cleanup();
  }
  const two = await makeEnv({ trackQuota: 2 });
  try {
    const c = await two.connect();
    await upload(c, '/a', 'abc');
    await c.link('/a', '/b');
    assert.equal(two.provider.quota.get('u:alice'), undefined, 'no limits: not tracked');
  } finally {
    await two.cleanup();
  }
});

test('hard link: writes to shared bytes never change the other name uncounted', async () => {
  const env = await makeEnv({ user: { quota_size: 100 * KB } });
  try {
    const c = await env.connect();
    await upload(c, '/a', 'old');
    await c.link('/a', '/b');
    assert.equal(await kindOf(c.openUpload('/a', { mode: 'append' })), 'NotSupported');
    assert.equal(await kindOf(c.setStat('/a', { size: 50 * KB })), 'NotSupported');
    await upload(c, '/a', Buffer.alloc(10 * KB, 2));
    assert.equal(await readFile(path.join(env.home, 'b'), 'utf8'), 'old', 'overwriting a breaks the link: b keeps its bytes');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 10 * KB + 3, usedFiles: 2 });
    await c.remove('/a');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 3, usedFiles: 1 });
    const t = await c.openUpload('/b', { mode: 'append' });
    await t.write(Buffer.from('er'), 3);
    await t.close();
    assert.equal(await download(c, '/b'), 'older', 'a single name can be appended to again');
  } finally {
    await env.cleanup();
  }
});
