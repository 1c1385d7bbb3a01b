/**
 * The data service: what the API, the CLI and the core use to read and change users, folders and
 * admins. It validates input (every problem, field-named), hashes passwords, encrypts secrets with
 * the KMS, runs user actions, and only then calls the provider. Implemented in `service.ts`.
 */
import type { Admin, BackupData, BaseVirtualFolder, User } from './models.js';
import type { ListOptions } from './types.js';

/** loaddata modes: 0 add+update, 1 add only, 2 add+update and disconnect updated users. */
export type RestoreMode = 0 | 1 | 2;

export interface RestoreResult {
  /** Usernames added or updated (quota scans / disconnects use them). */
  users: string[];
  folders: string[];
  admins: string[];
}

export interface DataService {
  getUser(username: string): Promise<User>;
  listUsers(opts: ListOptions): Promise<User[]>;
  addUser(input: User): Promise<User>;
  /** Keeps the stored password when input.password is empty/absent; keeps secrets sent back Redacted. */
  updateUser(input: User): Promise<User>;
  deleteUser(username: string): Promise<void>;

  getFolder(name: string): Promise<BaseVirtualFolder>;
  listFolders(opts: ListOptions): Promise<BaseVirtualFolder[]>;
  addFolder(input: BaseVirtualFolder): Promise<BaseVirtualFolder>;
  updateFolder(input: BaseVirtualFolder): Promise<BaseVirtualFolder>;
  deleteFolder(name: string): Promise<void>;

  getAdmin(username: string): Promise<Admin>;
  listAdmins(opts: ListOptions): Promise<Admin[]>;
  addAdmin(input: Admin): Promise<Admin>;
  updateAdmin(input: Admin): Promise<Admin>;
  deleteAdmin(username: string): Promise<void>;

  /** Verifies a plaintext password against a stored hash of any supported format. */
  verifyPassword(plain: string, hash: string): Promise<boolean>;
  /** Hashes with the configured algorithm (bcrypt or argon2id). */
  hashPassword(plain: string): Promise<string>;

  /** Whole provider content as a v2.1.2 backup (version 8, SFTPGo's JSON shape), secrets encrypted, hashes as stored. */
  dump(): Promise<BackupData>;
  /** Loads a backup: folders, then users, then admins; first invalid item aborts (earlier ones stay). */
  restore(data: BackupData, mode: RestoreMode): Promise<RestoreResult>;

  /** Strips secrets (password, key payloads) for API output. */
  redactUser(user: User): User;
  redactFolder(folder: BaseVirtualFolder): BaseVirtualFolder;
  redactAdmin(admin: Admin): Admin;
}
