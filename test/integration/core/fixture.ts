/**
 * Test fixture for driving Connection directly: temp dirs, a user, a registry. Uses a small
 * in-memory fake DataProvider (quota stores only) until the memory provider lands.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { defaultConfig } from '../../../src/config/defaults.js';
import type { Config } from '../../../src/config/types.js';
import type { User, VirtualFolder } from '../../../src/dataprovider/models.js';
import type { DataProvider } from '../../../src/dataprovider/types.js';
import { ConnectionRegistryImpl } from '../../../src/core/connections.js';
import type { ActionHooks, ActionInfo, Connection } from '../../../src/core/types.js';
import { noopMetrics } from '../../../src/core/types.js';
import type { ThrottleClock } from '../../../src/core/throttle.js';
import { createFsRegistry } from '../../../src/vfs/registry.js';
import { isSftpGoError } from '../../../src/util/errors.js';

/** Quota-only fake provider: what the core calls during transfers. */
export function fakeProvider(): DataProvider & { quota: Map<string, { usedSize: number; usedFiles: number }> } {
  const quota = new Map<string, { usedSize: number; usedFiles: number }>();
  const q = (k: string) => quota.get(k) ?? { usedSize: 0, usedFiles: 0 };
  const upd = (k: string, s: number, f: number, reset: boolean) => {
    const cur = q(k);
    quota.set(k, reset ? { usedSize: s, usedFiles: f } : { usedSize: cur.usedSize + s, usedFiles: cur.usedFiles + f });
  };
  const unused = () => { throw new Error('not used by core tests'); };
  return {
    driver: 'fake', persistent: false, quota,
    users: {
      get: unused, list: unused, add: unused, update: unused, delete: unused, count: unused, updateLastLogin: unused, iterate: unused,
      updateQuota: async (n, s, f, r) => upd(`u:${n}`, s, f, r),
      getUsedQuota: async (n) => q(`u:${n}`),
    },
    folders: {
      get: unused, list: unused, add: unused, update: unused, delete: unused, iterate: unused,
      updateQuota: async (n, s, f, r) => upd(`f:${n}`, s, f, r),
      getUsedQuota: async (n) => q(`f:${n}`),
    },
    admins: { get: unused, list: unused, add: unused, update: unused, delete: unused, count: unused, iterate: unused },
    initialize: async () => undefined, schemaVersion: async () => 8, revert: async () => undefined,
    checkAvailability: async () => undefined, close: async () => undefined,
  } as DataProvider & { quota: typeof quota };
}

/** Records hook calls; `veto` / `handled` script the pre-actions. */
export class RecordingHooks implements ActionHooks {
  readonly calls: ActionInfo[] = [];
  veto = new Set<string>();
  handled = false;

  async pre(event: 'pre-upload' | 'pre-download' | 'pre-delete', info: ActionInfo): Promise<void | 'handled'> {
    this.calls.push(info);
    if (this.veto.has(event)) throw new Error(`${event} vetoed by hook`);
    return event === 'pre-delete' && this.handled ? 'handled' : undefined;
  }

  post(_event: string, info: ActionInfo): void {
    this.calls.push(info);
  }

  /** Post actions are fired asynchronously: waits (event-loop turns, no timer) for one. */
  async waitFor(action: string): Promise<ActionInfo> {
    for (let i = 0; i < 1000; i++) {
      const found = this.calls.find((c) => c.action === action);
      if (found) return found;
      await new Promise((r) => setImmediate(r));
    }
    throw new Error(`no ${action} action`);
  }
}

export interface Env {
  base: string;
  home: string;
  config: Config;
  provider: ReturnType<typeof fakeProvider>;
  registry: ConnectionRegistryImpl;
  hooks: RecordingHooks;
  user: User;
  connect(user?: User): Promise<Connection>;
  cleanup(): Promise<void>;
}

export interface EnvOptions {
  user?: Partial<User>;
  folders?: (base: string) => VirtualFolder[];
  common?: Partial<Config['common']>;
  trackQuota?: number;
  /** data_provider.delayed_quota_update in seconds. */
  delayedQuota?: number;
  idleCheckIntervalMs?: number;
  /** Clock of the bandwidth throttles. */
  clock?: ThrottleClock;
  /** Real action hooks instead of the recorder. */
  actions?: ActionHooks;
  logger?: Logger;
}

/** A temp home, a user with all permissions by default, and a connection registry. */
export async function makeEnv(opts: EnvOptions = {}): Promise<Env> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-core-'));
  const home = path.join(base, 'home');
  const def = defaultConfig();
  const config: Config = {
    ...def,
    common: { ...def.common, idle_timeout: 0, ...opts.common },
    data_provider: { ...def.data_provider, track_quota: opts.trackQuota ?? 1, delayed_quota_update: opts.delayedQuota ?? 0 },
  };
  const provider = fakeProvider();
  const hooks = new RecordingHooks();
  const fsRegistry = createFsRegistry();
  const registry = new ConnectionRegistryImpl({
    config, logger: opts.logger ?? pino({ level: 'silent' }), provider, fsRegistry, metrics: noopMetrics, hooks: opts.actions ?? hooks,
    idleCheckIntervalMs: opts.idleCheckIntervalMs, clock: opts.clock,
  });
  const user: User = {
    username: 'alice', status: 1, home_dir: home, permissions: { '/': ['*'] },
    virtual_folders: opts.folders?.(base) ?? [], ...opts.user,
  };
  const conns: Connection[] = [];
  const ensure = async (u: User) => {
    for (const m of [{ root: u.home_dir }, ...(u.virtual_folders ?? []).map((f) => ({ root: f.mapped_path! }))]) {
      await (await fsRegistry.create(0, { root: m.root, config: undefined })).ensureRoot();
    }
  };
  return {
    base, home, config, provider, registry, hooks, user,
    async connect(u = user) {
      await ensure(u);
      const c = await registry.open({ protocol: 'SFTP', user: u, remote: { ip: '127.0.0.1', port: 1234 } });
      conns.push(c);
      return c;
    },
    async cleanup() {
      await registry.shutdown(0);
      await rm(base, { recursive: true, force: true });
    },
  };
}

/** The error kind a promise rejects with ('ok' when it resolves). */
export async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return isSftpGoError(err) ? err.kind : `raw:${String(err)}`;
  }
}

/** Uploads `data` in chunks through a connection. */
export async function upload(c: Connection, p: string, data: Buffer | string, chunk = 4096): Promise<void> {
  const buf = Buffer.from(data);
  const t = await c.openUpload(p, { mode: 'truncate' });
  try {
    for (let off = 0; off < buf.length; off += chunk) await t.write(buf.subarray(off, off + chunk), off);
  } catch (err) {
    await t.abort(err);
    throw err;
  }
  await t.close();
}

/** Downloads a whole file through a connection. */
export async function download(c: Connection, p: string): Promise<string> {
  const t = await c.openDownload(p);
  const buf = Buffer.alloc(t.size);
  const n = await t.read(buf, 0);
  await t.close();
  return buf.subarray(0, n).toString();
}

/** Names listed in a directory, sorted. */
export async function names(c: Connection, p: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of c.list(p)) out.push(e.type === 'dir' ? `${e.name}/` : e.name);
  return out.sort();
}
