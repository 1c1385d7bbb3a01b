/**
 * A whole AppContext for tests: temp dir, config (defaults + overrides), silent logger (debug with
 * SFTPGO_TEST_LOG=1), in-memory data, the real core services. Parallel-safe: nothing global.
 *
 * Uses the real memory provider and password hashes; until the DataService lands a thin stand-in
 * (below) hashes passwords and calls the provider without validation.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { AppContext } from '../../src/app/context.js';
import { buildConfig, type DeepPartial } from '../../src/config/index.js';
import type { Config } from '../../src/config/types.js';
import { createCoreServices, type CoreServicesHandle, type HookTimeouts } from '../../src/core/index.js';
import type { Metrics } from '../../src/core/types.js';
import type { BaseVirtualFolder, User } from '../../src/dataprovider/models.js';
import type { DataService } from '../../src/dataprovider/service-types.js';
import type { DataProvider } from '../../src/dataprovider/types.js';
import { MemoryProvider } from '../../src/dataprovider/memory/index.js';
import { defaultHashingOptions, hashPassword, isHashedPassword, verifyPassword } from '../../src/dataprovider/passwords.js';

export interface TestContextOptions {
  config?: DeepPartial<Config>;
  metrics?: Metrics;
  hookTimeouts?: Partial<HookTimeouts>;
  now?: () => number;
}

export type TestUserInput = Partial<User> & { username: string; password?: string };

export interface TestContext extends AppContext {
  /** Temp root; homes default to dir/users/<name>, folders to dir/folders/<name>. */
  dir: string;
  core: CoreServicesHandle;
  addUser(u: TestUserInput): Promise<User>;
  addFolder(f: Partial<BaseVirtualFolder> & { name: string }): Promise<BaseVirtualFolder>;
  close(): Promise<void>;
}

export async function createTestContext(opts: TestContextOptions = {}): Promise<TestContext> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-test-'));
  const config = buildConfig(opts.config);
  const logger = pino({ level: process.env.SFTPGO_TEST_LOG === '1' ? 'debug' : 'silent' });
  const provider = new MemoryProvider();
  await provider.initialize();
  const data = dataService(provider);
  const core = await createCoreServices({
    config, configDir: dir, logger, provider, data, metrics: opts.metrics, hookTimeouts: opts.hookTimeouts, now: opts.now,
  });
  const ctx: TestContext = {
    config, configDir: dir, logger, provider, data, core, dir,
    build: { version: '2.1.2-test', commit: 'test', buildDate: new Date(0).toISOString() },
    async addUser(u) {
      const home = u.home_dir ?? path.join(dir, 'users', u.username);
      return data.addUser({ status: 1, permissions: { '/': ['*'] }, ...u, home_dir: home } as User);
    },
    async addFolder(f) {
      const mapped = f.mapped_path ?? path.join(dir, 'folders', f.name);
      await mkdir(mapped, { recursive: true });
      return data.addFolder({ ...f, mapped_path: mapped });
    },
    async close() {
      await core.close();
      await provider.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return ctx;
}

/* ---- DataService stand-in (until src/dataprovider/service.ts lands): real provider and hashes, no validation ---- */

/** bcrypt cost 4 keeps tests fast; values already hashed are stored as-is (as the real service does). */
const hash = async (p: string | undefined): Promise<string> =>
  (!p ? '' : isHashedPassword(p) ? p : hashPassword(p, { ...defaultHashingOptions, bcrypt_options: { cost: 4 } }));

function dataService(p: DataProvider): DataService {
  const svc: DataService = {
    getUser: (n) => p.users.get(n),
    listUsers: (o) => p.users.list(o),
    addUser: async (u) => p.users.add({ ...u, password: await hash(u.password) }),
    async updateUser(u) {
      const cur = await p.users.get(u.username);
      return p.users.update({ ...u, password: u.password ? await hash(u.password) : cur.password });
    },
    deleteUser: (n) => p.users.delete(n),
    getFolder: (n) => p.folders.get(n),
    listFolders: (o) => p.folders.list(o),
    addFolder: (f) => p.folders.add(f),
    updateFolder: (f) => p.folders.update(f),
    deleteFolder: (n) => p.folders.delete(n),
    getAdmin: (n) => p.admins.get(n),
    listAdmins: (o) => p.admins.list(o),
    addAdmin: async (a) => p.admins.add({ ...a, password: await hash(a.password) }),
    updateAdmin: (a) => p.admins.update(a),
    deleteAdmin: (n) => p.admins.delete(n),
    verifyPassword: (plain, h) => verifyPassword(plain, h),
    hashPassword: (plain) => hash(plain),
    async dump() { throw new Error('dump: not available in the test stand-in'); },
    async restore() { throw new Error('restore: not available in the test stand-in'); },
    redactUser: (u) => ({ ...u, password: undefined }),
    redactFolder: (f) => f,
    redactAdmin: (a) => ({ ...a, password: undefined }),
  };
  return svc;
}
