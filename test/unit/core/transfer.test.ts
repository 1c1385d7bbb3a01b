import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { synthetic } from '../../../src/core/conn-setstat.js';
import { download, kindOf, makeEnv, upload } from '../../integration/core/fixture.js';

const KB = 1024;

test('transfer: upload crossing the quota mid-transfer is stopped and not counted', async () => {
  for (const mode of [0, 1, 2]) {
    const env = await makeEnv({ user: { quota_size: 10 * KB }, common: { upload_mode: mode } });
    try {
      const c = await env.connect();
      await upload(c, '/small', Buffer.alloc(4 * KB));
      assert.equal(await kindOf(upload(c, '/big', Buffer.alloc(8 * KB), KB)), 'QuotaExceeded');
      assert.deepEqual((await readdir(env.home)).sort(), ['small'], `mode ${mode}: no partial file`);
      assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 4 * KB, usedFiles: 1 });
      await upload(c, '/fits', Buffer.alloc(6 * KB));
      assert.equal(await kindOf(upload(c, '/none', 'x')), 'QuotaExceeded', 'used >= limit refuses at open');
    } finally {
      await env.cleanup();
    }
  }
});

test('transfer: concurrent uploads of one user cannot overshoot the quota', async () => {
  const env = await makeEnv({ user: { quota_size: 64 * KB } });
  try {
    const conns = await Promise.all([1, 2, 3, 4].map(() => env.connect()));
    // One write each: the reservations race in the same event-loop turns.
    const results = await Promise.all(conns.map((c, i) => kindOf(upload(c, `/f${i}`, Buffer.alloc(24 * KB), 24 * KB))));
    const ok = results.filter((r) => r === 'ok').length;
    assert.equal(ok, 2, `results: ${results.join(',')}`);
    assert.ok(results.every((r) => r === 'ok' || r === 'QuotaExceeded'));
    const files = await readdir(env.home);
    assert.equal(files.length, 2);
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 48 * KB, usedFiles: 2 });
  } finally {
    await env.cleanup();
  }
});

test('transfer: interleaved concurrent uploads stay within the quota and consistent', async () => {
  const env = await makeEnv({ user: { quota_size: 64 * KB } });
  try {
    const conns = await Promise.all([1, 2, 3, 4].map(() => env.connect()));
    await Promise.all(conns.map((c, i) => kindOf(upload(c, `/f${i}`, Buffer.alloc(24 * KB), 2 * KB))));
    let onDisk = 0;
    for (const n of await readdir(env.home)) onDisk += (await readFile(path.join(env.home, n))).length;
    assert.ok(onDisk <= 64 * KB);
    const used = env.provider.quota.get('u:alice') ?? { usedSize: 0, usedFiles: 0 };
    assert.equal(used.usedSize, onDisk);
    assert.equal(used.usedFiles, (await readdir(env.home)).length);
  } finally {
    await env.cleanup();
  }
});

test('transfer: quota of files, overwrite gives bytes back, delete gives back', async () => {
  const env = await makeEnv({ user: { quota_files: 2, quota_size: 10 * KB } });
  try {
    const c = await env.connect();
    await upload(c, '/a', Buffer.alloc(6 * KB));
    await upload(c, '/b', Buffer.alloc(1 * KB));
    assert.equal(await kindOf(upload(c, '/c', 'x')), 'QuotaExceeded', 'files limit');
    await upload(c, '/a', Buffer.alloc(9 * KB));
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 10 * KB, usedFiles: 2 });
    await c.remove('/a');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 1 * KB, usedFiles: 1 });
  } finally {
    await env.cleanup();
  }
});

test('transfer: atomic modes hide partial files; mode 2 keeps them for resume', async () => {
  const env = await makeEnv({ common: { upload_mode: 1 } });
  try {
    const c = await env.connect();
    const t = await c.openUpload('/f', { mode: 'truncate' });
    await t.write(Buffer.from('partial'), 0);
    const tmp = (await readdir(env.home)).filter((n) => n.startsWith('.sftpgo-upload.'));
    assert.equal(tmp.length, 1);
    assert.match(tmp[0]!, /^\.sftpgo-upload\.[0-9a-f]+\.f$/);
    await t.abort(new Error('client gone'));
    assert.deepEqual(await readdir(env.home), []);
    await upload(c, '/f', 'complete');
    const t2 = await c.openUpload('/f', { mode: 'truncate' });
    await t2.write(Buffer.from('new con'), 0);
    assert.equal(await readFile(path.join(env.home, 'f'), 'utf8'), 'complete', 'old content visible until commit');
    await c.close('client gone');
    assert.deepEqual(await readdir(env.home), ['f']);
    assert.equal(await readFile(path.join(env.home, 'f'), 'utf8'), 'complete');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 8, usedFiles: 1 });
  } finally {
    await env.cleanup();
  }
  const env2 = await makeEnv({ common: { upload_mode: 2 } });
  try {
    const c = await env2.connect();
    const t = await c.openUpload('/f', { mode: 'truncate' });
    await t.write(Buffer.from('part'), 0);
    await t.abort(new Error('client gone'));
    assert.deepEqual(await readdir(env2.home), ['f']);
    const r = await c.openUpload('/f', { mode: 'resume', offset: 4 });
    assert.equal(r.initialSize, 4);
    await r.write(Buffer.from('ial'), 4);
    await r.close();
    assert.equal(await readFile(path.join(env2.home, 'f'), 'utf8'), 'partial');
    assert.deepEqual(env2.provider.quota.get('u:alice'), { usedSize: 7, usedFiles: 1 });
  } finally {
    await env2.cleanup();
  }
});

test('transfer: atomic resume aborted in mode 1 restores the original', async () => {
  const env = await makeEnv({ common: { upload_mode: 1 } });
  try {
    const c = await env.connect();
    await upload(c, '/f', 'orig');
    const t = await c.openUpload('/f', { mode: 'append' });
    await t.write(Buffer.from('+more'), 0);
    await t.abort(new Error('gone'));
    assert.equal(await readFile(path.join(env.home, 'f'), 'utf8'), 'orig');
    const a = await c.openUpload('/f', { mode: 'append' });
    await a.write(Buffer.from('!'), 0);
    await a.close();
    assert.equal(await download(c, '/f'), 'orig!');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 5, usedFiles: 1 });
  } finally {
    await env.cleanup();
  }
});

test('transfer: max_upload_file_size and announced sizes', async () => {
  const env = await makeEnv({ user: { filters: { max_upload_file_size: 100 } } });
  try {
    const c = await env.connect();
    assert.equal(await kindOf(upload(c, '/big', Buffer.alloc(101), 50)), 'QuotaExceeded');
    assert.equal(await kindOf(c.stat('/big')), 'NotFound');
    assert.equal(await kindOf(c.openUpload('/x', { mode: 'truncate', expectedSize: 200 })), 'QuotaExceeded');
    await upload(c, '/ok', Buffer.alloc(100));
    assert.equal(await kindOf(c.openUpload('/ok', { mode: 'resume', offset: 100 })), 'QuotaExceeded', 'resume when max <= size');
    assert.equal(await c.availableSpace('/'), 100);
  } finally {
    await env.cleanup();
  }
});

test('transfer: folders with own quota, included folders count for the user too', async () => {
  const env = await makeEnv({
    user: { quota_size: 100 * KB },
    folders: (base) => [
      { name: 'own', mapped_path: path.join(base, 'own'), virtual_path: '/own', quota_size: 4 * KB, quota_files: 0 },
      { name: 'inc', mapped_path: path.join(base, 'inc'), virtual_path: '/inc', quota_size: -1, quota_files: -1 },
    ],
  });
  try {
    const c = await env.connect();
    await upload(c, '/inc/a', Buffer.alloc(2 * KB));
    assert.deepEqual(env.provider.quota.get('f:inc'), { usedSize: 2 * KB, usedFiles: 1 });
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 2 * KB, usedFiles: 1 });
    assert.equal(await kindOf(upload(c, '/own/a', Buffer.alloc(5 * KB))), 'QuotaExceeded');
    await upload(c, '/own/b', Buffer.alloc(3 * KB));
    assert.deepEqual(env.provider.quota.get('f:own'), { usedSize: 3 * KB, usedFiles: 1 });
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 2 * KB, usedFiles: 1 });
    // rename into a folder without room is refused; into one with room moves the quota
    await upload(c, '/home2k', Buffer.alloc(2 * KB));
    assert.equal(await kindOf(c.rename('/home2k', '/own/c')), 'QuotaExceeded');
    await c.rename('/inc/a', '/x');
    assert.deepEqual(env.provider.quota.get('f:inc'), { usedSize: 0, usedFiles: 0 });
    await c.rename('/x', '/own/x').catch(() => undefined);
    assert.equal((await c.stat('/x')).size, 2 * KB, 'refused, still in the home');
    const st = await c.statfs('/own');
    assert.equal(st.blockSize, 4096);
    assert.equal(st.blocks, 1);
  } finally {
    await env.cleanup();
  }
});

test('transfer: track_quota 0 disables updates and limits', async () => {
  const env = await makeEnv({ trackQuota: 0, user: { quota_size: 1 } });
  try {
    const c = await env.connect();
    await upload(c, '/a', 'more than one byte');
    assert.equal(env.provider.quota.size, 0);
  } finally {
    await env.cleanup();
  }
});

test('transfer: atomic uploads use common.temp_path when set', async () => {
  const env = await makeEnv({ common: { upload_mode: 1 } });
  const tmp = path.join(env.base, 'tmp');
  await mkdir(tmp);
  (env.config.common as { temp_path: string }).temp_path = tmp;
  try {
    const c = await env.connect();
    const t = await c.openUpload('/f', { mode: 'truncate' });
    await t.write(Buffer.from('data'), 0);
    assert.equal((await readdir(tmp)).length, 1);
    assert.deepEqual(await readdir(env.home), []);
    await t.close();
    assert.deepEqual(await readdir(tmp), []);
    assert.equal(await readFile(path.join(env.home, 'f'), 'utf8'), 'data');
    const r = await c.openUpload('/f', { mode: 'append' });
    await r.write(Buffer.from('++'), 0);
    await r.abort(new Error('gone'));
    assert.equal(await readFile(path.join(env.home, 'f'), 'utf8'), 'data');
    assert.deepEqual(await readdir(tmp), []);
  } finally {
    await env.cleanup();
  }
});

test('transfer: synthetic statvfs from quota', () => {
  const s = synthetic({ maxSize: 1000, maxFiles: 10, usedSize: 100, usedFiles: 4 }, undefined);
  assert.equal(s.blockSize, 256, '4096 shrunk by 4 until <= quota');
  assert.equal(s.blocks, 3);
  assert.equal(s.blocksFree, 3);
  assert.equal(s.filesFree, 6);
  assert.equal(s.nameMax, 255);
  const full = synthetic({ maxSize: 1000, maxFiles: 0, usedSize: 1000, usedFiles: 4 }, undefined);
  assert.equal(full.blocksFree, 0);
  assert.equal(full.files, 1_000_004);
  const unknown = synthetic({ maxSize: 0, maxFiles: 5, usedSize: 0, usedFiles: 0 }, undefined);
  assert.equal(unknown.blocks * unknown.blockSize, 8 * 1024 ** 4);
});

test('transfer: track_quota 2 updates only users with limits (folders always)', async () => {
  const env = await makeEnv({
    trackQuota: 2,
    folders: (base) => [{ name: 'f', mapped_path: path.join(base, 'f'), virtual_path: '/f', quota_size: 0, quota_files: 0 }],
  });
  try {
    const c = await env.connect();
    await upload(c, '/a', 'abc');
    await upload(c, '/f/a', 'abcd');
    assert.equal(env.provider.quota.get('u:alice'), undefined);
    assert.deepEqual(env.provider.quota.get('f:f'), { usedSize: 4, usedFiles: 1 });
  } finally {
    await env.cleanup();
  }
  const env2 = await makeEnv({ trackQuota: 2, user: { quota_files: 10 } });
  try {
    const c = await env2.connect();
    await upload(c, '/a', 'abc');
    assert.deepEqual(env2.provider.quota.get('u:alice'), { usedSize: 3, usedFiles: 1 });
  } finally {
    await env2.cleanup();
  }
});

test('transfer: track_quota 1 counts every user and folder, limits or not', async () => {
  const env = await makeEnv({
    trackQuota: 1,
    folders: (base) => [{ name: 'f', mapped_path: path.join(base, 'f'), virtual_path: '/f', quota_size: 0, quota_files: 0 }],
  });
  try {
    const c = await env.connect();
    await upload(c, '/a', 'abc');
    await upload(c, '/f/a', 'abcd');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 3, usedFiles: 1 }, 'a user without limits is counted');
    assert.deepEqual(env.provider.quota.get('f:f'), { usedSize: 4, usedFiles: 1 });
    await c.remove('/a');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 0, usedFiles: 0 });
  } finally {
    await env.cleanup();
  }
});
