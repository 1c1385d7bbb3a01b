/**
 * setstat_mode (INVENTORY §4.8): 0 applies chmod/chown/chtimes, 1 checks the permission then ignores
 * them, 2 ignores them only on backends that cannot (cloud), applying them on local. Truncate is never
 * ignored. Directories are checked on their parent, files on themselves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { LocalFs } from '../../../src/vfs/local/index.js';
import type { FsFactoryOptions } from '../../../src/vfs/types.js';
import { kindOf, makeEnv, upload } from '../../integration/core/fixture.js';

const WHEN = new Date('2001-02-03T04:05:06Z');
const asRoot = process.getuid?.() === 0;

/** A backend declaring no chmod/chown/chtimes, as object stores do. */
class NoAttrFs extends LocalFs {
  override readonly features = { ...new LocalFs({ root: '/', config: undefined }).features, chmod: false, chown: false, chtimes: false };
}

async function attempt(mode: number, provider: 0 | 2) {
  const env = await makeEnv({
    common: { setstat_mode: mode },
    user: { filesystem: { provider }, permissions: { '/': ['*'], '/ro': ['list', 'upload', 'create_dirs'] } },
  });
  const reg = (env.registry as unknown as { deps: { fsRegistry: { register(n: string, f: unknown): void } } }).deps.fsRegistry;
  reg.register('gcs', (o: FsFactoryOptions) => new NoAttrFs(o));
  const c = await env.connect();
  await upload(c, '/f', '123456');
  await c.mkdir('/ro');
  await upload(c, '/ro/g', 'x');
  const host = path.join(env.home, 'f');
  const before = await stat(host);
  // Truncate first: it moves mtime, which chtimes then sets.
  const truncate = await kindOf(c.setStat('/f', { size: 2 }));
  const results = {
    truncate,
    chmod: await kindOf(c.setStat('/f', { mode: 0o604 })),
    chown: await kindOf(c.setStat('/f', { uid: asRoot ? 4242 : before.uid, gid: asRoot ? 4343 : before.gid })),
    chtimes: await kindOf(c.setStat('/f', { atime: WHEN, mtime: WHEN })),
    deniedChmod: await kindOf(c.setStat('/ro/g', { mode: 0o600 })),
    deniedDirChmod: await kindOf(c.setStat('/ro', { mode: 0o700 })),
  };
  const after = await stat(host);
  await env.cleanup();
  return {
    results,
    changed: {
      mode: (after.mode & 0o777) === 0o604,
      owner: asRoot && after.uid === 4242 && after.gid === 4343,
      times: after.mtime.getTime() === WHEN.getTime(),
      size: after.size === 2,
    },
  };
}

test('setstat_mode 0: applied on local, refused as unsupported where the backend cannot', async () => {
  const local = await attempt(0, 0);
  assert.deepEqual(local.results, { chmod: 'ok', chown: 'ok', chtimes: 'ok', truncate: 'ok', deniedChmod: 'PermissionDenied', deniedDirChmod: 'ok' });
  assert.deepEqual(local.changed, { mode: true, owner: asRoot, times: true, size: true });
  const cloud = await attempt(0, 2);
  assert.deepEqual(cloud.results, {
    chmod: 'NotSupported', chown: 'NotSupported', chtimes: 'NotSupported', truncate: 'ok', deniedChmod: 'PermissionDenied', deniedDirChmod: 'NotSupported',
  });
  assert.deepEqual(cloud.changed, { mode: false, owner: false, times: false, size: true });
});

test('setstat_mode 1: permission checked, then ignored everywhere; truncate still applies', async () => {
  for (const provider of [0, 2] as const) {
    const r = await attempt(1, provider);
    assert.deepEqual(r.results, { chmod: 'ok', chown: 'ok', chtimes: 'ok', truncate: 'ok', deniedChmod: 'PermissionDenied', deniedDirChmod: 'ok' });
    assert.deepEqual(r.changed, { mode: false, owner: false, times: false, size: true }, `provider ${provider}`);
  }
});

test('setstat_mode 2: applied on local, silently ignored on cloud backends', async () => {
  const local = await attempt(2, 0);
  assert.deepEqual(local.changed, { mode: true, owner: asRoot, times: true, size: true });
  const cloud = await attempt(2, 2);
  assert.deepEqual(cloud.results, { chmod: 'ok', chown: 'ok', chtimes: 'ok', truncate: 'ok', deniedChmod: 'PermissionDenied', deniedDirChmod: 'ok' });
  assert.deepEqual(cloud.changed, { mode: false, owner: false, times: false, size: true });
});
