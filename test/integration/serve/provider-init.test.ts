/**
 * Provider start-up steps of `serve` on the real memory provider, DataService and core: schema
 * initialize per update_mode, the default admin, and the --loaddata-from import with its quota
 * scans and clean-up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildConfig } from '../../../src/config/index.js';
import type { Config, DeepPartial } from '../../../src/config/types.js';
import { loadInitialData, prepareProvider } from '../../../src/app/provider-init.js';
import { buildAppContext } from '../../../src/app/wiring.js';
import { noopMetrics } from '../../../src/core/index.js';

const log = pino({ level: 'silent' });

async function withContext(overrides: DeepPartial<Config>, fn: (c: Awaited<ReturnType<typeof buildAppContext>>, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-init-'));
  const config = buildConfig({ ...overrides, data_provider: { driver: 'memory', name: '', password_hashing: { bcrypt_options: { cost: 4 } }, ...overrides.data_provider } } as DeepPartial<Config>);
  const built = await buildAppContext({ config, configDir: dir, configFile: '' }, log, noopMetrics, { version: 't', commit: 't', buildDate: '' });
  try {
    await fn(built, dir);
  } finally {
    await built.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('update_mode 0 initializes; create_default_admin adds admin/password with * only when no admin exists', async () => {
  await withContext({}, async ({ ctx }) => {
    const config = buildConfig({ data_provider: { driver: 'memory', update_mode: 0, create_default_admin: true } });
    await prepareProvider(ctx.provider, ctx.data, config, log);
    const admin = await ctx.data.getAdmin('admin');
    assert.deepEqual(admin.permissions, ['*']);
    assert.ok(await ctx.data.verifyPassword('password', admin.password!));
    await ctx.data.updateAdmin({ ...admin, password: 'changed' });
    await prepareProvider(ctx.provider, ctx.data, config, log);
    assert.ok(await ctx.data.verifyPassword('changed', (await ctx.data.getAdmin('admin')).password!), 'an existing admin is left alone');
  });
});

test('loaddata-from imports a dump, scans when asked, cleans the file', async () => {
  await withContext({}, async ({ ctx, core }, dir) => {
    await prepareProvider(ctx.provider, ctx.data, ctx.config, log);
    for (const d of ['a', 'b', 'f']) await mkdir(join(dir, d));
    await writeFile(join(dir, 'a', 'file'), 'abc');
    const file = join(dir, 'dump.json');
    await writeFile(file, JSON.stringify({
      version: 8, folders: [{ name: 'f', mapped_path: join(dir, 'f') }],
      users: [{ username: 'a', password: 'pw', status: 1, home_dir: join(dir, 'a'), permissions: { '/': ['*'] }, quota_files: 5 },
        { username: 'b', password: 'pw', status: 1, home_dir: join(dir, 'b'), permissions: { '/': ['*'] } }],
      admins: [{ username: 'x', password: 'y', status: 1, permissions: ['*'] }],
    }));
    await loadInitialData({ from: file, mode: 1, scan: 2, clean: true }, ctx.data, core, ctx.config, log);
    await core.quotaScans.idle();
    const [a, b, f] = [await ctx.data.getUser('a'), await ctx.data.getUser('b'), await ctx.data.getFolder('f')];
    assert.deepEqual([a.used_quota_files, a.used_quota_size], [1, 3], 'user with quota limits scanned');
    assert.equal(b.last_quota_update ?? 0, 0, 'user without limits not scanned (scan 2)');
    assert.ok((f.last_quota_update ?? 0) > 0, 'folders scanned');
    await ctx.data.getAdmin('x');
    await assert.rejects(access(file), 'cleaned');
    await assert.rejects(loadInitialData({ from: 'rel.json', mode: 0, scan: 0, clean: false }, ctx.data, core, ctx.config, log), /absolute/);
    await assert.rejects(loadInitialData({ from: file, mode: 2, scan: 0, clean: false }, ctx.data, core, ctx.config, log), /0 or 1/);
  });
});
