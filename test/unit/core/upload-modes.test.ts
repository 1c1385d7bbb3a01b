/**
 * upload_mode (INVENTORY §4.7) with resume: 0 writes in place (an interrupted upload stays as far as
 * it got), 1 writes a temp file renamed on success (nothing visible on error), 2 is 1 but keeps what
 * arrived on error so the client can resume. Quota stays equal to what is on disk in every case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { makeEnv } from '../../integration/core/fixture.js';

/** Files in the home with their content, and the quota the provider holds. */
async function snapshot(env: Awaited<ReturnType<typeof makeEnv>>) {
  const files: Record<string, string> = {};
  for (const n of await readdir(env.home)) files[n] = await readFile(path.join(env.home, n), 'utf8');
  return { files, quota: env.provider.quota.get('u:alice') ?? { usedSize: 0, usedFiles: 0 } };
}

test('upload modes: interrupted new upload, then resume from what is there', async () => {
  const expected = {
    0: { files: { f: 'part' }, quota: { usedSize: 4, usedFiles: 1 } },
    1: { files: {}, quota: { usedSize: 0, usedFiles: 0 } },
    2: { files: { f: 'part' }, quota: { usedSize: 4, usedFiles: 1 } },
  } as const;
  for (const mode of [0, 1, 2] as const) {
    const env = await makeEnv({ common: { upload_mode: mode } });
    try {
      const c = await env.connect();
      const t = await c.openUpload('/f', { mode: 'truncate' });
      await t.write(Buffer.from('part'), 0);
      await t.abort(new Error('connection reset'));
      assert.deepEqual(await snapshot(env), expected[mode], `mode ${mode} after the interruption`);
      if (mode === 1) continue;
      const r = await c.openUpload('/f', { mode: 'resume', offset: 4 });
      assert.equal(r.initialSize, 4);
      await r.write(Buffer.from('ial'), 4);
      await r.close();
      assert.deepEqual(await snapshot(env), { files: { f: 'partial' }, quota: { usedSize: 7, usedFiles: 1 } }, `mode ${mode} resumed`);
    } finally {
      await env.cleanup();
    }
  }
});

test('upload modes: an interrupted resume of an existing file', async () => {
  const expected = { 0: 'base+more', 1: 'base', 2: 'base+more' } as const;
  for (const mode of [0, 1, 2] as const) {
    const env = await makeEnv({ common: { upload_mode: mode } });
    try {
      const c = await env.connect();
      const t0 = await c.openUpload('/f', { mode: 'truncate' });
      await t0.write(Buffer.from('base'), 0);
      await t0.close();
      const t = await c.openUpload('/f', { mode: 'resume', offset: 4 });
      await t.write(Buffer.from('+more'), 4);
      await t.abort(new Error('connection reset'));
      const snap = await snapshot(env);
      assert.deepEqual(snap.files, { f: expected[mode] }, `mode ${mode}: mode 1 restores the original, others keep what arrived`);
      assert.deepEqual(snap.quota, { usedSize: expected[mode].length, usedFiles: 1 });
    } finally {
      await env.cleanup();
    }
  }
});

test('upload modes: overwriting with truncate; the old content stays visible until commit in atomic modes', async () => {
  for (const mode of [0, 1, 2] as const) {
    const env = await makeEnv({ common: { upload_mode: mode } });
    try {
      const c = await env.connect();
      const t0 = await c.openUpload('/f', { mode: 'truncate' });
      await t0.write(Buffer.from('old content'), 0);
      await t0.close();
      const t = await c.openUpload('/f', { mode: 'truncate' });
      await t.write(Buffer.from('new'), 0);
      const during = await readFile(path.join(env.home, 'f'), 'utf8');
      assert.equal(during, mode === 0 ? 'new' : 'old content', `mode ${mode} during`);
      await t.close();
      assert.deepEqual(await snapshot(env), { files: { f: 'new' }, quota: { usedSize: 3, usedFiles: 1 } }, `mode ${mode} after`);
    } finally {
      await env.cleanup();
    }
  }
});
