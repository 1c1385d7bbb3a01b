/**
 * Transfers and their surroundings: a protocol's own abort signal ends a transfer (atomic: nothing
 * visible), and stat/setstat/truncate by path reach the file while it is being uploaded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { kindOf, makeEnv, upload } from '../../integration/core/fixture.js';

/** Waits until `cond` holds, turning the event loop (no timers). */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(cond());
}

test('signals: a client gone mid-upload in atomic mode leaves nothing visible and nothing counted', async () => {
  const env = await makeEnv({ common: { upload_mode: 1 } });
  try {
    const c = await env.connect();
    const ac = new AbortController();
    const t = await c.openUpload('/f', { mode: 'truncate', signal: ac.signal });
    await t.write(Buffer.from('partial'), 0);
    ac.abort(new Error('data connection closed'));
    await until(() => c.status().active_transfers.length === 0);
    await t.abort(); // joins the settlement the signal started
    assert.deepEqual(await readdir(env.home), [], 'no target, no temp file');
    assert.equal(await kindOf(t.write(Buffer.from('more'), 7)), 'Aborted');
    assert.equal(env.provider.quota.get('u:alice'), undefined);
  } finally {
    await env.cleanup();
  }
});

test('signals: in upload_mode 2 an aborted upload is kept under its name, ready to resume', async () => {
  const env = await makeEnv({ common: { upload_mode: 2 } });
  try {
    const c = await env.connect();
    const ac = new AbortController();
    const t = await c.openUpload('/f', { mode: 'truncate', signal: ac.signal });
    await t.write(Buffer.from('part'), 0);
    ac.abort();
    await until(() => c.status().active_transfers.length === 0);
    await t.abort();
    assert.deepEqual(await readdir(env.home), ['f']);
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 4, usedFiles: 1 });
  } finally {
    await env.cleanup();
  }
});

test('signals: an already aborted signal refuses the open; a download ends with its signal', async () => {
  const env = await makeEnv();
  try {
    const c = await env.connect();
    await upload(c, '/f', 'abcdef');
    const gone = new AbortController();
    gone.abort();
    assert.equal(await kindOf(c.openUpload('/g', { mode: 'truncate', signal: gone.signal })), 'Aborted');
    const ac = new AbortController();
    const d = await c.openDownload('/f', { signal: ac.signal });
    ac.abort();
    await until(() => c.status().active_transfers.length === 0);
    assert.equal(await kindOf(d.read(Buffer.alloc(2), 0)), 'Aborted');
  } finally {
    await env.cleanup();
  }
});

test('signals: stat, setstat and truncate by path reach an atomic upload in progress', async () => {
  const env = await makeEnv({ common: { upload_mode: 1 }, user: { quota_size: 100 } });
  try {
    const c = await env.connect();
    await upload(c, '/f', 'old content');
    const t = await c.openUpload('/f', { mode: 'truncate' });
    await t.write(Buffer.from('new'), 0);
    assert.equal((await c.stat('/f')).size, 3, 'stat sees the bytes written so far');
    assert.equal((await c.stat('/f')).name, 'f');
    await c.setStat('/f', { mode: 0o640 });
    await c.setStat('/f', { size: 2 });
    assert.equal((await c.stat('/f')).size, 2);
    assert.equal(await readFile(path.join(env.home, 'f'), 'utf8'), 'old content', 'the target is untouched until commit');
    assert.equal(await kindOf(c.setStat('/f', { size: 200 })), 'QuotaExceeded', 'growing through truncate is charged');
    await t.close();
    assert.equal(await readFile(path.join(env.home, 'f'), 'utf8'), 'ne');
    assert.equal((await stat(path.join(env.home, 'f'))).mode & 0o777, 0o640, 'the mode set during the upload survives the commit');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 2, usedFiles: 1 });
  } finally {
    await env.cleanup();
  }
});

test('signals: truncating an open upload past max_upload_file_size is refused before anything changes', async () => {
  const env = await makeEnv({ user: { filters: { max_upload_file_size: 10 } } });
  try {
    const c = await env.connect();
    const t = await c.openUpload('/f', { mode: 'truncate' });
    await t.write(Buffer.from('12345'), 0);
    assert.equal(await kindOf(t.truncate(11)), 'QuotaExceeded');
    await t.truncate(8);
    await t.close();
    assert.equal((await stat(path.join(env.home, 'f'))).size, 8);
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 8, usedFiles: 1 });
  } finally {
    await env.cleanup();
  }
});
