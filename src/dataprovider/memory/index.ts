/**
 * The `memory` provider: everything in process memory (portable mode, tests), optionally seeded from
 * a backup file named by `data_provider.name`. Quota and last-login changes are not persisted,
 * as in SFTPGo. Records are deep-copied in and out so callers never share mutable state with the store.
 */
import { isAbsolute, join } from 'node:path';
import type { Admin, BaseVirtualFolder, User, VirtualFolder } from '../models.js';
import type {
  AdminStore, DataProvider, FolderStore, ListOptions, ProviderFactoryOptions, UserStore,
} from '../types.js';
import { exists, notFound, notSupported } from '../../util/errors.js';
import { MemoryDavProps } from './dav-props.js';

/** A user's folder mapping as stored: folder name plus the per-user fields. */
interface StoredMapping {
  name: string;
  virtual_path: string;
  quota_size: number;
  quota_files: number;
}

type StoredUser = Omit<User, 'virtual_folders'> & { mappings: StoredMapping[] };

const clone = <T>(v: T): T => structuredClone(v);

/** Binary order, as SQLite's default collation and SFTPGo's sort.Strings: "Bob" < "Zed" < "alice". */
const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function page<T>(items: T[], key: (t: T) => string, opts: ListOptions): T[] {
  const sorted = [...items].sort((a, b) => binary(key(a), key(b)));
  if (opts.order === 'DESC') sorted.reverse();
  return sorted.slice(opts.offset, opts.offset + opts.limit);
}

/** The in-memory state shared by the three stores of one provider instance. */
class MemoryState {
  users = new Map<string, StoredUser>();
  folders = new Map<string, BaseVirtualFolder>();
  admins = new Map<string, Admin>();
  nextId = { user: 1, folder: 1, admin: 1 };
}

class MemoryFolders implements FolderStore {
  constructor(private readonly s: MemoryState) {}

  private usersOf(name: string): string[] {
    return [...this.s.users.values()].filter((u) => u.mappings.some((m) => m.name === name)).map((u) => u.username).sort(binary);
  }

  private out(f: BaseVirtualFolder): BaseVirtualFolder {
    return { ...clone(f), users: this.usersOf(f.name) };
  }

  async get(name: string): Promise<BaseVirtualFolder> {
    const f = this.s.folders.get(name);
    if (!f) throw notFound(`folder "${name}" does not exist`);
    return this.out(f);
  }

  async list(opts: ListOptions): Promise<BaseVirtualFolder[]> {
    return page([...this.s.folders.values()], (f) => f.name, opts).map((f) => this.out(f));
  }

  async add(folder: BaseVirtualFolder): Promise<BaseVirtualFolder> {
    if (this.s.folders.has(folder.name)) throw exists(`folder "${folder.name}" already exists`);
    const stored: BaseVirtualFolder = {
      ...clone(folder), id: this.s.nextId.folder++, users: undefined,
      used_quota_size: folder.used_quota_size ?? 0, used_quota_files: folder.used_quota_files ?? 0,
      last_quota_update: folder.last_quota_update ?? 0,
    };
    delete stored.users;
    this.s.folders.set(folder.name, stored);
    return this.out(stored);
  }

  async update(folder: BaseVirtualFolder): Promise<BaseVirtualFolder> {
    const cur = this.s.folders.get(folder.name);
    if (!cur) throw notFound(`folder "${folder.name}" does not exist`);
    cur.mapped_path = folder.mapped_path;
    cur.description = folder.description;
    cur.filesystem = clone(folder.filesystem);
    return this.out(cur);
  }

  async delete(name: string): Promise<void> {
    if (!this.s.folders.delete(name)) throw notFound(`folder "${name}" does not exist`);
    for (const u of this.s.users.values()) u.mappings = u.mappings.filter((m) => m.name !== name);
  }

  async updateQuota(name: string, sizeDelta: number, filesDelta: number, reset: boolean): Promise<void> {
    const f = this.s.folders.get(name);
    if (!f) throw notFound(`folder "${name}" does not exist`);
    f.used_quota_size = reset ? sizeDelta : (f.used_quota_size ?? 0) + sizeDelta;
    f.used_quota_files = reset ? filesDelta : (f.used_quota_files ?? 0) + filesDelta;
    f.last_quota_update = Date.now();
  }

  async getUsedQuota(name: string): Promise<{ usedSize: number; usedFiles: number }> {
    const f = await this.get(name);
    return { usedSize: f.used_quota_size ?? 0, usedFiles: f.used_quota_files ?? 0 };
  }

  async *iterate(): AsyncIterable<BaseVirtualFolder> {
    for (const name of [...this.s.folders.keys()].sort(binary)) yield await this.get(name);
  }
}

class MemoryUsers implements UserStore {
  constructor(private readonly s: MemoryState) {}

  private out(u: StoredUser): User {
    const { mappings, ...rest } = clone(u);
    const virtual_folders: VirtualFolder[] = mappings.map((m) => {
      const base = this.s.folders.get(m.name);
      return { ...clone(base ?? { name: m.name }), ...m };
    });
    return { ...rest, virtual_folders };
  }

  private toStored(user: User): StoredUser {
    const { virtual_folders, ...rest } = clone(user);
    const mappings = (virtual_folders ?? []).map((vf) => {
      if (!this.s.folders.has(vf.name)) throw notFound(`folder "${vf.name}" does not exist`);
      return { name: vf.name, virtual_path: vf.virtual_path, quota_size: vf.quota_size ?? 0, quota_files: vf.quota_files ?? 0 };
    });
    return { ...rest, mappings };
  }

  async get(username: string): Promise<User> {
    const u = this.s.users.get(username);
    if (!u) throw notFound(`user "${username}" does not exist`);
    return this.out(u);
  }

  async list(opts: ListOptions): Promise<User[]> {
    return page([...this.s.users.values()], (u) => u.username, opts).map((u) => this.out(u));
  }

  async add(user: User): Promise<User> {
    if (this.s.users.has(user.username)) throw exists(`user "${user.username}" already exists`);
    const stored = this.toStored(user);
    stored.id = this.s.nextId.user++;
    stored.used_quota_size ??= 0;
    stored.used_quota_files ??= 0;
    stored.last_quota_update ??= 0;
    stored.last_login ??= 0;
    this.s.users.set(user.username, stored);
    return this.out(stored);
  }

  async update(user: User): Promise<User> {
    const cur = this.s.users.get(user.username);
    if (!cur) throw notFound(`user "${user.username}" does not exist`);
    const next = this.toStored(user);
    const kept = {
      id: cur.id, used_quota_size: cur.used_quota_size, used_quota_files: cur.used_quota_files,
      last_quota_update: cur.last_quota_update, last_login: cur.last_login,
    };
    const merged = { ...next, ...kept };
    this.s.users.set(user.username, merged);
    return this.out(merged);
  }

  async delete(username: string): Promise<void> {
    if (!this.s.users.delete(username)) throw notFound(`user "${username}" does not exist`);
  }

  async count(): Promise<number> {
    return this.s.users.size;
  }

  async updateQuota(username: string, sizeDelta: number, filesDelta: number, reset: boolean): Promise<void> {
    const u = this.s.users.get(username);
    if (!u) throw notFound(`user "${username}" does not exist`);
    u.used_quota_size = reset ? sizeDelta : (u.used_quota_size ?? 0) + sizeDelta;
    u.used_quota_files = reset ? filesDelta : (u.used_quota_files ?? 0) + filesDelta;
    u.last_quota_update = Date.now();
  }

  async getUsedQuota(username: string): Promise<{ usedSize: number; usedFiles: number }> {
    const u = this.s.users.get(username);
    if (!u) throw notFound(`user "${username}" does not exist`);
    return { usedSize: u.used_quota_size ?? 0, usedFiles: u.used_quota_files ?? 0 };
  }

  async updateLastLogin(username: string, at: number): Promise<void> {
    const u = this.s.users.get(username);
    if (!u) throw notFound(`user "${username}" does not exist`);
    u.last_login = at;
  }

  async *iterate(): AsyncIterable<User> {
    for (const name of [...this.s.users.keys()].sort(binary)) {
      const u = this.s.users.get(name);
      if (u) yield this.out(u);
    }
  }
}

class MemoryAdmins implements AdminStore {
  constructor(private readonly s: MemoryState) {}

  async get(username: string): Promise<Admin> {
    const a = this.s.admins.get(username);
    if (!a) throw notFound(`admin "${username}" does not exist`);
    return clone(a);
  }

  async list(opts: ListOptions): Promise<Admin[]> {
    return page([...this.s.admins.values()], (a) => a.username, opts).map(clone);
  }

  async add(admin: Admin): Promise<Admin> {
    if (this.s.admins.has(admin.username)) throw exists(`admin "${admin.username}" already exists`);
    const stored = { ...clone(admin), id: this.s.nextId.admin++ };
    this.s.admins.set(admin.username, stored);
    return clone(stored);
  }

  async update(admin: Admin): Promise<Admin> {
    const cur = this.s.admins.get(admin.username);
    if (!cur) throw notFound(`admin "${admin.username}" does not exist`);
    const stored = { ...clone(admin), id: cur.id };
    this.s.admins.set(admin.username, stored);
    return clone(stored);
  }

  async delete(username: string): Promise<void> {
    if (!this.s.admins.delete(username)) throw notFound(`admin "${username}" does not exist`);
  }

  async count(): Promise<number> {
    return this.s.admins.size;
  }

  async *iterate(): AsyncIterable<Admin> {
    for (const name of [...this.s.admins.keys()].sort(binary)) yield await this.get(name);
  }
}

/**
 * The memory provider. With a dump file (`data_provider.name`), the app loads that file through the
 * data service (validation, hashing, KMS) at start and again on SIGHUP, after `clear()`.
 */
export class MemoryProvider implements DataProvider {
  readonly driver = 'memory';
  readonly persistent = false;
  private readonly state = new MemoryState();
  readonly users: UserStore = new MemoryUsers(this.state);
  readonly folders: FolderStore = new MemoryFolders(this.state);
  readonly admins: AdminStore = new MemoryAdmins(this.state);
  readonly davProps = new MemoryDavProps();

  /** @param dumpFile absolute path of the dump to load; undefined = start empty. */
  constructor(readonly dumpFile?: string) {}

  async initialize(): Promise<void> {}

  async clear(): Promise<void> {
    this.state.users.clear();
    this.state.folders.clear();
    this.state.admins.clear();
  }

  async schemaVersion(): Promise<number> {
    return 10;
  }

  async revert(): Promise<void> {
    throw notSupported('not supported: revertprovider is not available for the memory provider');
  }

  async checkAvailability(): Promise<void> {}

  async close(): Promise<void> {}
}

/** Factory: `data_provider.name`, when set, names a dump file (relative to the config dir) to load at start. */
export async function createMemoryProvider(opts: ProviderFactoryOptions): Promise<DataProvider> {
  const name = String(opts.config.name ?? '');
  if (!name || name === 'sftpgo.db') return new MemoryProvider();
  return new MemoryProvider(isAbsolute(name) ? name : join(opts.configDir, name));
}
