/**
 * DataService: validated CRUD over a provider (what the API, the CLI and the core use). It
 * validates (every problem, field-named), hashes passwords, seals secrets with the KMS, upserts
 * the folders a user payload references (SFTPGo §4.5), and fires user actions.
 */
import type { DataProviderConfig } from '../config/types.js';
import type { Admin, BackupData, BaseVirtualFolder, User } from './models.js';
import type { DataProvider, ListOptions } from './types.js';
import type { DataService as DataServiceContract, RestoreMode, RestoreResult } from './service-types.js';
import { hashPassword, isAdminHashedPassword, isHashedPassword, verifyPassword, type HashingOptions } from './passwords.js';
import { redactSecrets, sealSecrets, type SecretSealer } from './secrets.js';
import { validateUser } from './validate/user.js';
import { validateAdmin, validateFolder } from './validate/folder-admin.js';
import { dumpProvider, restoreBackup } from './backup.js';
import { formatBackup } from './dump-format.js';
import { errorKindOf, ErrorKind } from '../util/errors.js';

/** User add/update/delete notifications (data_provider.actions); the core's hook runner implements it. */
export type UserActionListener = (action: 'add' | 'update' | 'delete', user: User) => void;

export interface DataServiceOptions {
  provider: DataProvider;
  config: Pick<DataProviderConfig, 'password_hashing' | 'skip_natural_keys_validation' | 'users_base_dir'>;
  kms: SecretSealer;
  onUserAction?: UserActionListener;
}

export class DataService implements DataServiceContract {
  private readonly provider: DataProvider;
  private readonly hashing: HashingOptions;
  private readonly skipKeys: boolean;

  constructor(private readonly opts: DataServiceOptions) {
    this.provider = opts.provider;
    this.hashing = opts.config.password_hashing;
    this.skipKeys = opts.config.skip_natural_keys_validation;
  }

  getUser(username: string): Promise<User> { return this.provider.users.get(username); }
  listUsers(o: ListOptions): Promise<User[]> { return this.provider.users.list(o); }

  async addUser(input: User): Promise<User> {
    const user = await this.prepareUser(input);
    await this.upsertFolders(user);
    const saved = await this.provider.users.add(user);
    this.opts.onUserAction?.('add', saved);
    return saved;
  }

  async updateUser(input: User): Promise<User> {
    const stored = await this.provider.users.get(input.username);
    const user = await this.prepareUser({ ...input, password: input.password || stored.password }, stored);
    await this.upsertFolders(user);
    const saved = await this.provider.users.update(user);
    this.opts.onUserAction?.('update', saved);
    return saved;
  }

  async deleteUser(username: string): Promise<void> {
    const user = await this.provider.users.get(username);
    await this.provider.users.delete(username);
    this.opts.onUserAction?.('delete', user);
  }

  getFolder(name: string): Promise<BaseVirtualFolder> { return this.provider.folders.get(name); }
  listFolders(o: ListOptions): Promise<BaseVirtualFolder[]> { return this.provider.folders.list(o); }

  async addFolder(input: BaseVirtualFolder): Promise<BaseVirtualFolder> {
    return this.provider.folders.add(this.prepareFolder(input));
  }

  async updateFolder(input: BaseVirtualFolder): Promise<BaseVirtualFolder> {
    const stored = await this.provider.folders.get(input.name);
    return this.provider.folders.update(this.prepareFolder(input, stored));
  }

  deleteFolder(name: string): Promise<void> { return this.provider.folders.delete(name); }

  getAdmin(username: string): Promise<Admin> { return this.provider.admins.get(username); }
  listAdmins(o: ListOptions): Promise<Admin[]> { return this.provider.admins.list(o); }

  async addAdmin(input: Admin): Promise<Admin> {
    return this.provider.admins.add(await this.prepareAdmin(input));
  }

  async updateAdmin(input: Admin): Promise<Admin> {
    const stored = await this.provider.admins.get(input.username);
    return this.provider.admins.update(await this.prepareAdmin({ ...input, password: input.password || stored.password }));
  }

  deleteAdmin(username: string): Promise<void> { return this.provider.admins.delete(username); }

  verifyPassword(plain: string, hash: string): Promise<boolean> { return verifyPassword(plain, hash); }
  hashPassword(plain: string): Promise<string> { return hashPassword(plain, this.hashing); }

  async dump(): Promise<BackupData> { return formatBackup(await dumpProvider(this.provider)); }

  restore(data: BackupData, mode: RestoreMode): Promise<RestoreResult> {
    return restoreBackup(this, data, mode);
  }

  /** True when the record exists (used by restore to choose add or update). */
  async exists(kind: 'user' | 'folder' | 'admin', name: string): Promise<boolean> {
    const get = { user: () => this.provider.users.get(name), folder: () => this.provider.folders.get(name), admin: () => this.provider.admins.get(name) }[kind];
    try {
      await get();
      return true;
    } catch (err) {
      if (errorKindOf(err) === ErrorKind.NotFound) return false;
      throw err;
    }
  }

  redactUser(user: User): User {
    const { password: _password, ...rest } = user;
    return {
      ...rest,
      filesystem: redactSecrets(this.opts.kms, user.filesystem),
      virtual_folders: user.virtual_folders?.map((vf) => ({ ...vf, filesystem: redactSecrets(this.opts.kms, vf.filesystem) })),
    };
  }

  redactFolder(folder: BaseVirtualFolder): BaseVirtualFolder {
    return { ...folder, filesystem: redactSecrets(this.opts.kms, folder.filesystem) };
  }

  redactAdmin(admin: Admin): Admin {
    const { password: _password, ...rest } = admin;
    return rest;
  }

  private async prepareUser(input: User, stored?: User): Promise<User> {
    const user = validateUser(input, {
      skipNaturalKeysValidation: this.skipKeys,
      usersBaseDir: this.opts.config.users_base_dir,
    });
    if (user.password && !isHashedPassword(user.password)) user.password = await this.hashPassword(user.password);
    user.filesystem = sealSecrets(this.opts.kms, user.filesystem, user.username, stored?.filesystem);
    return user;
  }

  private prepareFolder(input: BaseVirtualFolder, stored?: BaseVirtualFolder): BaseVirtualFolder {
    const folder = validateFolder(input, this.skipKeys);
    folder.filesystem = sealSecrets(this.opts.kms, folder.filesystem, `folder_${folder.name}`, stored?.filesystem);
    return folder;
  }

  private async prepareAdmin(input: Admin): Promise<Admin> {
    const admin = validateAdmin(input, this.skipKeys);
    if (admin.password && !isAdminHashedPassword(admin.password)) admin.password = await this.hashPassword(admin.password);
    return admin;
  }

  /** A user payload's folders are created when missing, or their definition overwritten when given. */
  private async upsertFolders(user: User): Promise<void> {
    for (const vf of user.virtual_folders ?? []) {
      const exists = await this.exists('folder', vf.name);
      if (!exists) await this.addFolder({ name: vf.name, mapped_path: vf.mapped_path, description: vf.description, filesystem: vf.filesystem });
      else if (vf.mapped_path) await this.updateFolder({ name: vf.name, mapped_path: vf.mapped_path, description: vf.description, filesystem: vf.filesystem });
    }
  }
}
