/**
 * In-memory DataService + DataProvider fakes for the HTTP API tests, so the API is tested on its
 * own contract while the real data layer is built in parallel. Validation is minimal but field-named.
 */
import type { Admin, BackupData, BaseVirtualFolder, User } from '../../../src/dataprovider/models.js';
import type { DataService, RestoreMode, RestoreResult } from '../../../src/dataprovider/service-types.js';
import type { DataProvider, ListOptions } from '../../../src/dataprovider/types.js';
import { exists, notFound, validationError, type FieldProblem } from '../../../src/util/errors.js';

const HASH = '$fake$';
const clone = <T>(v: T): T => structuredClone(v);

function page<T>(items: Map<string, T>, opts: ListOptions): T[] {
  const keys = [...items.keys()].sort();
  if (opts.order === 'DESC') keys.reverse();
  return keys.slice(opts.offset, opts.offset + opts.limit).map((k) => clone(items.get(k)!));
}

export class FakeData implements DataService {
  readonly users = new Map<string, User>();
  readonly folders = new Map<string, BaseVirtualFolder>();
  readonly admins = new Map<string, Admin>();
  private nextId = 1;

  async getUser(username: string) { const u = this.users.get(username); if (!u) throw notFound(`user "${username}" not found`); return clone(u); }
  async listUsers(opts: ListOptions) { return page(this.users, opts); }
  async addUser(input: User) {
    if (this.users.has(input.username)) throw exists(`user "${input.username}" already exists`);
    return this.saveUser({ ...input, id: this.nextId++, used_quota_size: 0, used_quota_files: 0, last_login: 0 });
  }
  async updateUser(input: User) {
    const old = await this.getUser(input.username);
    return this.saveUser({ ...input, password: input.password ? input.password : old.password, id: old.id });
  }
  private saveUser(u: User): User {
    const problems: FieldProblem[] = [];
    if (!u.username) problems.push({ field: 'username', message: 'is required' });
    if (!u.home_dir || !u.home_dir.startsWith('/')) problems.push({ field: 'home_dir', message: 'must be an absolute path' });
    if (!u.permissions || !u.permissions['/']) problems.push({ field: 'permissions', message: 'permissions for the root dir "/" are required' });
    for (const k of u.public_keys ?? []) if (!/^ssh-\S+ \S+/.test(k)) problems.push({ field: 'public_keys', message: `invalid public key "${k}"` });
    if (problems.length) throw validationError(problems);
    const stored = { ...u, password: u.password && !u.password.startsWith(HASH) ? HASH + u.password : u.password };
    this.users.set(u.username, stored);
    return clone(stored);
  }
  async deleteUser(username: string) { await this.getUser(username); this.users.delete(username); }

  async getFolder(name: string) { const f = this.folders.get(name); if (!f) throw notFound(`folder "${name}" not found`); return clone(f); }
  async listFolders(opts: ListOptions) { return page(this.folders, opts); }
  async addFolder(input: BaseVirtualFolder) {
    if (!input.name) throw validationError([{ field: 'name', message: 'is required' }]);
    if (this.folders.has(input.name)) throw exists('folder exists');
    const f = { ...input, id: this.nextId++, used_quota_size: 0, used_quota_files: 0, last_quota_update: 0, users: [] };
    this.folders.set(f.name, f);
    return clone(f);
  }
  async updateFolder(input: BaseVirtualFolder) { await this.getFolder(input.name); this.folders.set(input.name, clone(input)); return clone(input); }
  async deleteFolder(name: string) { await this.getFolder(name); this.folders.delete(name); }

  async getAdmin(username: string) { const a = this.admins.get(username); if (!a) throw notFound(`admin "${username}" not found`); return clone(a); }
  async listAdmins(opts: ListOptions) { return page(this.admins, opts); }
  async addAdmin(input: Admin) {
    if (this.admins.has(input.username)) throw exists('admin exists');
    return this.saveAdmin({ ...input, id: this.nextId++ });
  }
  async updateAdmin(input: Admin) {
    const old = await this.getAdmin(input.username);
    return this.saveAdmin({ ...input, password: input.password ? input.password : old.password, id: old.id });
  }
  private saveAdmin(a: Admin): Admin {
    const problems: FieldProblem[] = [];
    if (!a.username) problems.push({ field: 'username', message: 'is required' });
    if (!a.password) problems.push({ field: 'password', message: 'is required' });
    if (!a.permissions?.length) problems.push({ field: 'permissions', message: 'at least one permission is required' });
    if (problems.length) throw validationError(problems);
    const stored = { ...a, password: a.password!.startsWith(HASH) ? a.password : HASH + a.password };
    this.admins.set(a.username, stored);
    return clone(stored);
  }
  async deleteAdmin(username: string) { await this.getAdmin(username); this.admins.delete(username); }

  async verifyPassword(plain: string, hash: string) { return hash === HASH + plain; }
  async hashPassword(plain: string) { return HASH + plain; }

  async dump(): Promise<BackupData> {
    return { users: [...this.users.values()].map(clone), folders: [...this.folders.values()].map(clone), admins: [...this.admins.values()].map(clone), version: 8 };
  }
  async restore(data: BackupData, mode: RestoreMode): Promise<RestoreResult> {
    const res: RestoreResult = { users: [], folders: [], admins: [] };
    for (const f of data.folders) { if (this.folders.has(f.name)) { if (mode !== 1) await this.updateFolder(f); } else await this.addFolder(f); res.folders.push(f.name); }
    for (const u of data.users) { if (this.users.has(u.username)) { if (mode !== 1) await this.updateUser(u); } else await this.addUser(u); res.users.push(u.username); }
    for (const a of data.admins) { if (this.admins.has(a.username)) { if (mode !== 1) await this.updateAdmin(a); } else await this.addAdmin(a); res.admins.push(a.username); }
    return res;
  }

  redactUser(user: User): User { const { password: _p, ...rest } = user; return rest as User; }
  redactFolder(folder: BaseVirtualFolder) { return folder; }
  redactAdmin(admin: Admin): Admin { const { password: _p, ...rest } = admin; return rest as Admin; }
}

/** A provider exposing only what the API calls directly (quota updates, availability). */
export function fakeProvider(data: FakeData): DataProvider {
  const quota = <T extends { used_quota_size?: number; used_quota_files?: number; last_quota_update?: number }>(m: Map<string, T>) =>
    async (name: string, size: number, files: number, reset: boolean) => {
      const r = m.get(name);
      if (!r) throw notFound(name);
      r.used_quota_size = reset ? size : (r.used_quota_size ?? 0) + size;
      r.used_quota_files = reset ? files : (r.used_quota_files ?? 0) + files;
      r.last_quota_update = Date.now();
    };
  const unused = () => { throw new Error('not used by the API'); };
  return {
    driver: 'memory', persistent: false,
    users: { updateQuota: quota(data.users) } as unknown as DataProvider['users'],
    folders: { updateQuota: quota(data.folders) } as unknown as DataProvider['folders'],
    admins: {} as DataProvider['admins'],
    initialize: async () => undefined, schemaVersion: async () => 10, revert: unused,
    checkAvailability: async () => undefined, close: async () => undefined,
  };
}
