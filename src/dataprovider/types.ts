/**
 * The data provider port. Implementations (sqlite via sql.js, postgresql, mysql, memory) register
 * by name in `registry.ts` and pass the conformance suite in `test/conformance/dataprovider`.
 *
 * Providers store and return records. They do not hash or verify passwords, and they do not
 * validate business rules: the callers (`dataprovider/service.ts`) validate before saving.
 * Not-found conditions throw SftpGoError(NotFound); unique violations throw SftpGoError(Exists).
 */
import type { Admin, BaseVirtualFolder, User } from './models.js';

export interface ListOptions {
  limit: number;
  offset: number;
  order: 'ASC' | 'DESC';
}

export interface UserStore {
  /** Returns the user with virtual_folders filled (base folder fields + mapping fields). */
  get(username: string): Promise<User>;
  /** Ordered by username. */
  list(opts: ListOptions): Promise<User[]>;
  /** Inserts and returns the stored record (with id). Folders referenced by virtual_folders must already exist. */
  add(user: User): Promise<User>;
  /** Replaces every stored field except id, used quota, last_quota_update and last_login. */
  update(user: User): Promise<User>;
  delete(username: string): Promise<void>;
  count(): Promise<number>;
  /** Atomic increment (reset=false) or absolute set (reset=true); sets last_quota_update = now. */
  updateQuota(username: string, sizeDelta: number, filesDelta: number, reset: boolean): Promise<void>;
  getUsedQuota(username: string): Promise<{ usedSize: number; usedFiles: number }>;
  updateLastLogin(username: string, at: number): Promise<void>;
  /** Every user, for dumps and scans; streamed to bound memory. */
  iterate(batchSize?: number): AsyncIterable<User>;
}

export interface FolderStore {
  /** Returns the folder with `users` filled. */
  get(name: string): Promise<BaseVirtualFolder>;
  list(opts: ListOptions): Promise<BaseVirtualFolder[]>;
  add(folder: BaseVirtualFolder): Promise<BaseVirtualFolder>;
  /** Updates mapped_path, description, filesystem. */
  update(folder: BaseVirtualFolder): Promise<BaseVirtualFolder>;
  /** Removes the folder and its user mappings (never files). */
  delete(name: string): Promise<void>;
  updateQuota(name: string, sizeDelta: number, filesDelta: number, reset: boolean): Promise<void>;
  getUsedQuota(name: string): Promise<{ usedSize: number; usedFiles: number }>;
  iterate(batchSize?: number): AsyncIterable<BaseVirtualFolder>;
}

export interface AdminStore {
  get(username: string): Promise<Admin>;
  list(opts: ListOptions): Promise<Admin[]>;
  add(admin: Admin): Promise<Admin>;
  update(admin: Admin): Promise<Admin>;
  delete(username: string): Promise<void>;
  count(): Promise<number>;
  iterate(batchSize?: number): AsyncIterable<Admin>;
}

/**
 * WebDAV dead properties (RFC 4918 §4) per user and virtual path. They live in the provider, not
 * beside the files, so they work on every storage backend (object stores have no extended
 * attributes) and stay invisible to the other protocols. A value is one property element
 * serialized as XML, keyed by its Clark name (`{namespace}local`).
 */
export interface DavPropStore {
  /** Properties of each listed path; paths without properties are absent from the result. */
  get(username: string, paths: readonly string[]): Promise<Map<string, Record<string, string>>>;
  /** Replaces the properties of one path; an empty record removes them. */
  set(username: string, path: string, props: Record<string, string>): Promise<void>;
  /** Removes the properties of `path` and of every path below it. */
  removeTree(username: string, path: string): Promise<void>;
  /** Copies (`move`: moves) the properties of the tree at `from` onto `to`, replacing the tree at `to`. */
  copyTree(username: string, from: string, to: string, move: boolean): Promise<void>;
}

export interface ProviderStatus {
  driver: string;
  isActive: boolean;
  error: string;
}

export interface DataProvider {
  /** Registered driver name ("sqlite", "memory", ...). */
  readonly driver: string;
  /**
   * True when the data outlives the process. Tools that change data outside a running server
   * (the CLI) refuse a provider that is not persistent: their change would vanish on exit.
   */
  readonly persistent: boolean;
  /**
   * A dump file (SFTPGo backup JSON) holding this provider's data: the app loads it through the
   * data service at start and again on SIGHUP, after `clear()` (the memory provider with a `name`).
   */
  readonly dumpFile?: string;
  /** Removes every record; present on providers that have a `dumpFile`. */
  clear?(): Promise<void>;
  readonly users: UserStore;
  readonly folders: FolderStore;
  readonly admins: AdminStore;
  /** WebDAV dead properties; absent on a provider that cannot store them (PROPPATCH then says so). */
  readonly davProps?: DavPropStore;
  /** Creates the schema if missing and migrates it to the current version. */
  initialize(): Promise<void>;
  /** Current schema version (0 when no schema). */
  schemaVersion(): Promise<number>;
  /** Downgrades the schema to `version` (only 8 is accepted for v2.1.2 compatibility). */
  revert(version: number): Promise<void>;
  /** Cheap liveness check used by the availability metric and status API. */
  checkAvailability(): Promise<void>;
  /** Flushes pending writes and releases locks/connections. */
  close(): Promise<void>;
}

/** What a provider factory receives: the data_provider config section plus resolved paths. */
export interface ProviderFactoryOptions {
  /** The `data_provider` config section as loaded. */
  config: Record<string, unknown>;
  /** Absolute config dir, the base for relative file names. */
  configDir: string;
  /** Opening for a read-only tool (no lock taken). */
  readOnly?: boolean;
}

export type ProviderFactory = (opts: ProviderFactoryOptions) => Promise<DataProvider>;
