import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalFs } from '../../../src/vfs/local/index.js';
import type { FsFactoryOptions } from '../../../src/vfs/types.js';
import { kindOf, makeEnv, upload } from '../../integration/core/fixture.js';

/** A stand-in backend declaring no chmod/chown/chtimes (as object stores do). */
class NoAttrFs extends LocalFs {
  override readonly features = { ...new LocalFs({ root: '/', config: undefined }).features, chmod: false, chown: false, chtimes: false };
}

function registerNoAttr(env: Awaited<ReturnType<typeof makeEnv>>): void {
  const reg = (env.registry as unknown as { deps: { fsRegistry: { register(n: string, f: unknown): void } } }).deps.fsRegistry;
  reg.register('gcs', (o: FsFactoryOptions) => new NoAttrFs(o));
}

test('setstat_mode: 0 refuses unsupported attributes, 2 ignores them on such backends', async () => {
  for (const mode of [0, 2]) {
    const env = await makeEnv({ common: { setstat_mode: mode }, user: { filesystem: { provider: 2 } } });
    try {
      registerNoAttr(env);
      const c = await env.connect();
      await upload(c, '/f', 'x');
      const r = await kindOf(c.setStat('/f', { mode: 0o600 }));
      assert.equal(r, mode === 0 ? 'NotSupported' : 'ok');
      await c.setStat('/f', { size: 0 });
      assert.equal((await c.stat('/f')).size, 0, 'truncate still applies');
    } finally {
      await env.cleanup();
    }
  }
});

test('connection: ranged downloads and read+write uploads', async () => {
  const env = await makeEnv();
  try {
    const c = await env.connect();
    await upload(c, '/f', '0123456789');
    const d = await c.openDownload('/f', { offset: 2, end: 5 });
    let got = '';
    for await (const chunk of d.stream() as AsyncIterable<Buffer>) got += chunk.toString();
    await d.close();
    assert.equal(got, '234');
    const u = await c.openUpload('/f', { mode: 'resume', offset: 0, read: true });
    await u.write(Buffer.from('ab'), 0);
    const buf = Buffer.alloc(4);
    assert.equal(await u.read!(buf, 0), 4);
    assert.equal(buf.toString(), 'ab23');
    await u.close();
    assert.equal(await readFile(path.join(env.home, 'f'), 'utf8'), 'ab23456789');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 10, usedFiles: 1 });
  } finally {
    await env.cleanup();
  }
});

test('connection: rename quota bookkeeping and recursive permission checks', async () => {
  const env = await makeEnv({ user: { permissions: { '/': ['*'], '/src/locked': ['list'] } } });
  try {
    const c = await env.connect();
    await upload(c, '/a', '1');
    await upload(c, '/b', '22');
    await c.rename('/a', '/b');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 1, usedFiles: 1 }, 'overwritten file given back');
    await mkdir(path.join(env.home, 'src', 'locked'), { recursive: true });
    await writeFile(path.join(env.home, 'src', 'locked', 'f'), 'f');
    assert.equal(await kindOf(c.rename('/src', '/dst')), 'PermissionDenied', 'a sub path without rename/delete');
    await c.symlink('/b', '/link');
    await c.remove('/link');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 1, usedFiles: 1 }, 'symlinks are not counted');
  } finally {
    await env.cleanup();
  }
});

test('connection: statfs real without quota; availableSpace from quota', async () => {
  const env = await makeEnv({ user: { quota_size: 50000 } });
  try {
    const c = await env.connect();
    await upload(c, '/f', Buffer.alloc(1000));
    assert.equal(await c.availableSpace('/'), 49000);
    const s = await c.statfs('/');
    assert.equal(s.blockSize, 4096);
    assert.equal(s.blocks, 12);
    assert.equal(s.blocksFree, 11);
  } finally {
    await env.cleanup();
  }
  const env2 = await makeEnv();
  try {
    const c = await env2.connect();
    const s = await c.statfs('/');
    assert.ok(s.blocks > 0);
    assert.ok((await c.availableSpace('/')) > 0);
  } finally {
    await env2.cleanup();
  }
});

test('connection: refusals say what is missing and where', async () => {
  const env = await makeEnv({ user: { permissions: { '/': ['list', 'download'], '/in': ['list', 'upload'] } } });
  try {
    await mkdir(path.join(env.home, 'in'), { recursive: true });
    await writeFile(path.join(env.home, 'in', 'f'), 'x');
    const c = await env.connect();
    await assert.rejects(upload(c, '/new', 'x'), { message: 'permission denied: "upload" is not granted in /' });
    await assert.rejects(upload(c, '/in/f', 'y'), { message: 'permission denied: "overwrite" is not granted in /in' });
    await assert.rejects(c.mkdir('/in/d'), { message: 'permission denied: "create_dirs" is not granted in /in' });
    await assert.rejects(c.rename('/in/f', '/g'), /renaming \/in\/f to \/g needs "rename"/);
    await assert.rejects(c.setStat('/in/f', { mode: 0o600 }), { message: 'permission denied: "chmod" is not granted in /in/f' });
  } finally {
    await env.cleanup();
  }
});
