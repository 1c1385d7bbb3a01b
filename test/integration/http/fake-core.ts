/**
 * Minimal core fakes for the HTTP API tests: password login with defender scoring, a connection
 * registry whose connections read the user's home dir, a defender, controllable quota scans.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { CoreServices } from '../../../src/app/context.js';
import {
  noopMetrics, type Connection, type ConnectionRegistry, type Defender, type DefenderEntry, type DownloadTransfer,
  type OpenConnectionRequest, type QuotaScanRegistry, type VirtualFileInfo,
} from '../../../src/core/types.js';
import type { ConnectionStatus } from '../../../src/dataprovider/models.js';
import { authFailed, conflict, notSupported, permissionDenied } from '../../../src/util/errors.js';
import type { FakeData } from './fake-data.js';

async function info(path: string, name: string): Promise<VirtualFileInfo> {
  const st = await stat(path);
  return { name, type: st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other', size: st.size, mode: st.mode & 0o7777, mtime: st.mtime };
}

class FakeConnection {
  readonly id = randomUUID();
  readonly connectedAt = Date.now();
  clientVersion: string;
  command = '';
  private readonly ctrl = new AbortController();
  readonly signal = this.ctrl.signal;
  constructor(readonly req: OpenConnectionRequest, private readonly registry: FakeRegistry) {
    this.clientVersion = req.clientVersion ?? '';
  }
  get user() { return this.req.user; }
  get protocol() { return this.req.protocol; }
  get remote() { return this.req.remote; }
  private real(vpath: string): string {
    const clean = vpath.split('/').filter((s) => s && s !== '..').join('/');
    return join(this.user.home_dir, clean);
  }
  setCommand(c: string) { this.command = c; }
  touch() {}
  stat(vpath: string) { return info(this.real(vpath), vpath.split('/').filter(Boolean).pop() ?? '/'); }
  lstat(vpath: string) { return this.stat(vpath); }
  async *list(vpath: string): AsyncIterable<VirtualFileInfo> {
    const dir = this.real(vpath);
    for (const name of (await readdir(dir)).sort()) yield await info(join(dir, name), name);
  }
  async openDownload(vpath: string, opts: { offset?: number; end?: number } = {}): Promise<DownloadTransfer> {
    const perms = this.user.permissions['/'] ?? [];
    if (!perms.includes('*') && !perms.includes('download')) throw permissionDenied();
    const path = this.real(vpath);
    const fh = await open(path, 'r');
    const size = (await fh.stat()).size;
    await fh.close();
    return {
      virtualPath: vpath, size,
      read: async () => 0,
      stream: () => createReadStream(path, { start: opts.offset ?? 0, end: opts.end !== undefined ? opts.end - 1 : undefined }),
      close: async () => undefined, abort: async () => undefined,
    };
  }
  async close() {
    this.ctrl.abort();
    this.req.onClose?.('closed');
    this.registry.conns.delete(this.id);
  }
  status(): ConnectionStatus {
    return {
      username: this.user.username, connection_id: this.id, client_version: this.clientVersion,
      remote_address: `${this.remote.ip}:${this.remote.port}`, connection_time: this.connectedAt, command: this.command,
      last_activity: Date.now(), protocol: this.protocol, active_transfers: [],
    };
  }
}

class FakeRegistry implements ConnectionRegistry {
  readonly conns = new Map<string, FakeConnection>();
  async open(req: OpenConnectionRequest) {
    const c = new FakeConnection(req, this);
    this.conns.set(c.id, c);
    return c as unknown as Connection;
  }
  list() { return [...this.conns.values()].map((c) => c.status()); }
  get(id: string) { return this.conns.get(id) as unknown as Connection | undefined; }
  async close(id: string) { const c = this.conns.get(id); if (!c) return false; await c.close(); return true; }
  async closeUser(u: string) { let n = 0; for (const c of [...this.conns.values()]) if (c.user.username === u) { await c.close(); n++; } return n; }
  countUser(u: string) { return [...this.conns.values()].filter((c) => c.user.username === u).length; }
  async shutdown() { for (const c of [...this.conns.values()]) await c.close(); }
}

class FakeDefender implements Defender {
  readonly enabled = true;
  readonly scores = new Map<string, number>();
  readonly bans = new Map<string, Date>();
  isBanned(ip: string) { return (this.bans.get(ip)?.getTime() ?? 0) > Date.now(); }
  addEvent(ip: string) {
    const s = (this.scores.get(ip) ?? 0) + 1;
    this.scores.set(ip, s);
    if (s >= 15) this.bans.set(ip, new Date(Date.now() + 60_000));
  }
  private entry(ip: string): DefenderEntry { return { id: Buffer.from(ip).toString('hex'), ip, score: this.scores.get(ip), banTime: this.bans.get(ip) }; }
  list() { return [...new Set([...this.scores.keys(), ...this.bans.keys()])].map((ip) => this.entry(ip)); }
  get(id: string) { return this.list().find((e) => e.id === id); }
  unban(ip: string) { const had = this.scores.delete(ip) || this.bans.delete(ip); this.bans.delete(ip); return had; }
  score(ip: string) { return this.scores.get(ip) ?? 0; }
  banTime(ip: string) { return this.bans.get(ip); }
  async reload() {}
}

/** Scans stay "running" until `finish()` so the 409 path is deterministic. */
class FakeScans implements QuotaScanRegistry {
  readonly users = new Map<string, number>();
  readonly folders = new Map<string, number>();
  async startUserScan(u: string) { if (this.users.has(u)) throw conflict('scan already running'); this.users.set(u, Date.now()); }
  async startFolderScan(f: string) { if (this.folders.has(f)) throw conflict('scan already running'); this.folders.set(f, Date.now()); }
  listUserScans() { return [...this.users].map(([name, start_time]) => ({ name, start_time })); }
  listFolderScans() { return [...this.folders].map(([name, start_time]) => ({ name, start_time })); }
  finish() { this.users.clear(); this.folders.clear(); }
  async scanUserNow() { return { files: 0, size: 0 }; }
  async scanFolderNow() { return { files: 0, size: 0 }; }
}

export type FakeCore = CoreServices & { quotaScans: FakeScans; defender: FakeDefender };

export function fakeCore(data: FakeData): FakeCore {
  const defender = new FakeDefender();
  return {
    gate: { accept: async () => () => undefined },
    auth: {
      async login(req) {
        const user = await data.getUser(req.username).catch(() => null);
        const pwd = req.credentials.method === 'password' ? req.credentials.password : '';
        if (!user || !user.password || !(await data.verifyPassword(pwd, user.password))) {
          defender.addEvent(req.remote.ip);
          throw authFailed();
        }
        if (user.filters?.denied_protocols?.includes('HTTP')) throw permissionDenied('protocol HTTP is not allowed');
        return { user, loginMethod: 'password' };
      },
      checkPublicKey: async () => false,
      requiresSecondFactor: () => null,
      noAuthAttempt: () => undefined,
      loginAuthenticated: async (_protocol, username) => data.getUser(username),
    },
    connections: new FakeRegistry(),
    defender,
    quotaScans: new FakeScans(),
    metrics: noopMetrics,
  };
}

export const unsupported = () => { throw notSupported('fake'); };
