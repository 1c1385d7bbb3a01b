/**
 * Integration scenarios driving the core Connection for a user whose home is on an object store
 * (S3, GCS, Azure Blob against their local emulators): uploads and downloads (out-of-order
 * writes included), quota, file rename, refused directory rename, listings with virtual folders,
 * refused resume and chmod, quota scans. Secrets travel encrypted by the KMS, as stored, and are decrypted by
 * the registry. Each backend's test file calls `objectStoreScenarios`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { defaultConfig } from '../../../src/config/defaults.js';
import type { Config } from '../../../src/config/types.js';
import type { FilesystemConfig, Secret, User } from '../../../src/dataprovider/models.js';
import { ensureUserRoots } from '../../../src/core/auth/fsroots.js';
import { ConnectionRegistryImpl } from '../../../src/core/connections.js';
import { walkFs } from '../../../src/core/quotascan/registry.js';
import { backendConfig } from '../../../src/core/vfolders.js';
import { noopMetrics, type Connection } from '../../../src/core/types.js';
import { Kms } from '../../../src/kms/index.js';
import { createFsRegistry, type FsRegistry } from '../../../src/vfs/registry.js';
import { fakeProvider, kindOf, names, RecordingHooks, upload, download } from '../core/fixture.js';
import { needs, assertAvailable } from '../../helpers/require.js';

const KB = 1024;

/** One backend under test. */
export interface ObjectBackendUnderTest {
  name: string;
  unavailable?: string;
  /** The user's filesystem for a key prefix; `seal` encrypts a secret as the data provider stores it. */
  filesystem(keyPrefix: string, seal: (plain: string) => Secret): FilesystemConfig;
  /** Extra registrations (the GCS factory pointed at the fake). */
  register?(reg: FsRegistry): void;
}

interface Env {
  c: Connection;
  user: User;
  fsRegistry: FsRegistry;
  provider: ReturnType<typeof fakeProvider>;
  base: string;
  cleanup(): Promise<void>;
}

let seq = 0;

/** A connection of a user whose home is on the backend, with a local and a cloud virtual folder. */
async function open(b: ObjectBackendUnderTest, userOver: Partial<User> = {}, common: Partial<Config['common']> = {}): Promise<Env> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-objstore-'));
  const kms = new Kms();
  const run = `${process.pid}-${++seq}`;
  const seal = (plain: string): Secret => kms.encrypt({ status: 'Plain', payload: plain }, 'alice');
  const def = defaultConfig();
  const config: Config = { ...def, common: { ...def.common, idle_timeout: 0, ...common }, data_provider: { ...def.data_provider, track_quota: 1 } };
  const fsRegistry = createFsRegistry({ openSecret: (s) => kms.decrypt(s) });
  b.register?.(fsRegistry);
  const provider = fakeProvider();
  const registry = new ConnectionRegistryImpl({
    config, logger: pino({ level: 'silent' }), provider, fsRegistry, metrics: noopMetrics, hooks: new RecordingHooks(),
  });
  const user: User = {
    username: 'alice', status: 1, home_dir: path.join(base, 'home'), permissions: { '/': ['*'] },
    filesystem: b.filesystem(`${run}/home/`, seal),
    virtual_folders: [
      { name: 'local', mapped_path: path.join(base, 'local'), virtual_path: '/vlocal', quota_size: -1, quota_files: -1 },
      { name: 'cloud', virtual_path: '/docs/vcloud', filesystem: b.filesystem(`${run}/folder/`, seal), quota_size: -1, quota_files: -1 },
    ],
    ...userOver,
  };
  await ensureUserRoots(user, fsRegistry);
  const c = await registry.open({ protocol: 'SFTP', user, remote: { ip: '127.0.0.1', port: 1234 } });
  return { c, user, fsRegistry, provider, base, cleanup: async () => { await registry.shutdown(0); await rm(base, { recursive: true, force: true }); } };
}

/** Registers the scenarios for one backend. */
export function objectStoreScenarios(b: ObjectBackendUnderTest): void {
  const avail = needs(b.unavailable === undefined, `${b.name}: ${b.unavailable ?? ''}`);
  const scenario = (title: string, fn: (b: ObjectBackendUnderTest) => Promise<void>) => test(`${b.name} home: ${title}`, avail, async () => {
    assertAvailable(b.unavailable === undefined, `${b.name}: ${b.unavailable ?? ''}`);
    await fn(b);
  });
  scenario('upload and download, out-of-order writes reordered, listing with virtual folders', uploadDownload);
  scenario('quota: an upload over the limit is refused, nothing partial stays, an old file survives', quota);
  scenario('rename of a file moves it; a non-empty directory rename is refused, an empty one works', renames);
  scenario('resume, append and chmod are refused as unsupported; setstat_mode 2 ignores chmod', refusals);
  scenario('a connection closed mid-upload leaves the previous object intact', abortMidUpload);
}

async function uploadDownload(b: ObjectBackendUnderTest): Promise<void> {
  const env = await open(b);
  try {
    const { c } = env;
    // SFTP clients keep writes in flight: the second half may come first.
    const t = await c.openUpload('/hello.txt', { mode: 'truncate' });
    await t.write(Buffer.from('world'), 6);
    await t.write(Buffer.from('hello '), 0);
    await t.close();
    assert.equal(await download(c, '/hello.txt'), 'hello world');
    assert.equal((await c.stat('/hello.txt')).size, 11);
    await c.mkdir('/sub');
    await upload(c, '/sub/a.bin', Buffer.alloc(10 * KB, 7), KB);
    await upload(c, '/docs/vcloud/in-folder.txt', 'folder data');
    await upload(c, '/vlocal/local.txt', 'on disk');
    assert.deepEqual(await names(c, '/'), ['docs/', 'hello.txt', 'sub/', 'vlocal/']);
    assert.deepEqual(await names(c, '/docs'), ['vcloud/']);
    assert.deepEqual(await names(c, '/docs/vcloud'), ['in-folder.txt']);
    assert.deepEqual(await names(c, '/sub'), ['a.bin']);
    assert.deepEqual(await readdir(path.join(env.base, 'local')), ['local.txt']);
    assert.equal(await download(c, '/docs/vcloud/in-folder.txt'), 'folder data');
    const d = await c.openDownload('/hello.txt', { offset: 6 });
    const buf = Buffer.alloc(5);
    assert.equal(await d.read(buf, 6), 5);
    await d.close();
    assert.equal(buf.toString(), 'world');
    await c.remove('/hello.txt');
    assert.equal(await kindOf(c.stat('/hello.txt')), 'NotFound');
    assert.equal(await kindOf(c.rmdir('/sub')), 'NotEmpty');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 10 * KB + 11 + 7, usedFiles: 3 });
    // A quota scan walks the same trees through listings: what it counts matches what was charged.
    const scan = async (fsc: FilesystemConfig) => {
      const fs = await env.fsRegistry.create(fsc.provider, { root: '/unused', config: backendConfig(fsc) });
      const totals = { files: 0, size: 0 };
      await walkFs(fs, '/', totals);
      await fs.close();
      return totals;
    };
    assert.deepEqual(await scan(env.user.filesystem!), { files: 1, size: 10 * KB });
    assert.deepEqual(await scan(env.user.virtual_folders![1]!.filesystem!), { files: 1, size: 11 });
  } finally {
    await env.cleanup();
  }
}

async function quota(b: ObjectBackendUnderTest): Promise<void> {
  const env = await open(b, { quota_size: 10 * KB });
  try {
    const { c } = env;
    await upload(c, '/small', Buffer.alloc(4 * KB, 1));
    assert.equal(await kindOf(upload(c, '/big', Buffer.alloc(8 * KB), KB)), 'QuotaExceeded');
    assert.equal(await kindOf(c.stat('/big')), 'NotFound', 'nothing partial is visible');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 4 * KB, usedFiles: 1 });
    // Overwriting /small with too much: the upload is discarded and the old object stays counted.
    assert.equal(await kindOf(upload(c, '/small', Buffer.alloc(12 * KB), KB)), 'QuotaExceeded');
    assert.equal((await c.stat('/small')).size, 4 * KB);
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 4 * KB, usedFiles: 1 });
    await upload(c, '/small', Buffer.alloc(6 * KB, 2));
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 6 * KB, usedFiles: 1 });
  } finally {
    await env.cleanup();
  }
}

async function renames(b: ObjectBackendUnderTest): Promise<void> {
  const env = await open(b);
  try {
    const { c } = env;
    await upload(c, '/a.txt', 'AAA');
    await c.rename('/a.txt', '/b.txt');
    assert.equal(await download(c, '/b.txt'), 'AAA');
    assert.equal(await kindOf(c.stat('/a.txt')), 'NotFound');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 3, usedFiles: 1 });
    await c.mkdir('/full');
    await upload(c, '/full/x', 'x');
    assert.equal(await kindOf(c.rename('/full', '/moved')), 'NotSupported');
    assert.equal(await download(c, '/full/x'), 'x');
    await c.mkdir('/empty');
    await c.rename('/empty', '/empty2');
    assert.deepEqual(await names(c, '/'), ['b.txt', 'docs/', 'empty2/', 'full/', 'vlocal/']);
    assert.equal(await kindOf(c.rename('/b.txt', '/vlocal/b.txt')), 'NotSupported', 'no rename across backends');
  } finally {
    await env.cleanup();
  }
}

async function refusals(b: ObjectBackendUnderTest): Promise<void> {
  const env = await open(b);
  try {
    const { c } = env;
    await upload(c, '/f', 'content');
    assert.equal(await kindOf(c.openUpload('/f', { mode: 'resume', offset: 7 })), 'NotSupported');
    assert.equal(await kindOf(c.openUpload('/f', { mode: 'append' })), 'NotSupported');
    assert.equal(await kindOf(c.setStat('/f', { mode: 0o600 })), 'NotSupported');
    assert.equal(await kindOf(c.symlink('/f', '/l')), 'NotSupported');
    assert.equal(await download(c, '/f'), 'content');
  } finally {
    await env.cleanup();
  }
  const lax = await open(b, {}, { setstat_mode: 2 });
  try {
    await upload(lax.c, '/f', 'content');
    await lax.c.setStat('/f', { mode: 0o600 });
  } finally {
    await lax.cleanup();
  }
}

async function abortMidUpload(b: ObjectBackendUnderTest): Promise<void> {
  const env = await open(b);
  try {
    const { c } = env;
    await upload(c, '/keep', 'old content');
    const t = await c.openUpload('/keep', { mode: 'truncate' });
    await t.write(Buffer.alloc(64 * KB, 9), 0);
    await t.abort(new Error('client gone'));
    assert.equal(await download(c, '/keep'), 'old content');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 11, usedFiles: 1 });
  } finally {
    await env.cleanup();
  }
}
