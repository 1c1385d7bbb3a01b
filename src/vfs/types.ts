/**
 * The storage port. Every backend (local, crypt, s3, gcs, azblob, sftp) implements `Fs`;
 * callers ask `features` instead of checking which backend they hold (STYLE §4).
 *
 * Paths given to an Fs are *backend-relative POSIX paths* rooted at "/" (the user's home or the
 * folder's mapped root). The backend itself confines them: nothing may resolve outside its root.
 */

/** Declared capabilities of a backend. */
export interface FsFeatures {
  /** Writes at arbitrary offsets (needed for out-of-order SFTP writes without a reorder buffer). */
  randomWrite: boolean;
  /** Uploads can continue at an offset of an existing file (REST/APPE, SFTP append). */
  resume: boolean;
  /** Temp file + rename uploads (upload_mode 1/2) are possible. */
  atomicUpload: boolean;
  symlinks: boolean;
  chmod: boolean;
  chown: boolean;
  chtimes: boolean;
  /** Truncate to any size (false: only to 0 before writing, as object stores). */
  truncate: boolean;
  /** Rename of a non-empty directory. */
  dirRename: boolean;
  /** Empty directories exist as such (object stores emulate them with markers). */
  emptyDirs: boolean;
  /** statfs returns real values. */
  statfs: boolean;
  /** Open read+write on the same handle. */
  readWrite: boolean;
  /** Host-level operations are possible (system commands, sftpgo-copy, hard links): a real local path exists. */
  localPath: boolean;
}

export const FileType = {
  File: 'file',
  Dir: 'dir',
  Symlink: 'symlink',
  Other: 'other',
} as const;
export type FileType = (typeof FileType)[keyof typeof FileType];

/** Metadata of one entry. `mode` holds POSIX permission bits only (0o7777). */
export interface FileInfo {
  name: string;
  type: FileType;
  size: number;
  mode: number;
  mtime: Date;
  atime?: Date;
  uid?: number;
  gid?: number;
  /** Symlink target when known (lstat of a link). */
  linkTarget?: string;
  /**
   * Bytes the file occupies on the backend when that differs from `size` (encrypted files: the
   * DARE stream and its header). Quota accounting counts these, as SFTPGo does (INVENTORY §7.2).
   */
  diskSize?: number;
  /** Names (hard links) of the file, when the backend knows it; above 1 the bytes are shared. */
  links?: number;
}

/** The bytes quota counts for an entry: `diskSize` when the backend reports one, else `size`. */
export function storedSize(info: FileInfo): number {
  return info.diskSize ?? info.size;
}

export interface StatFs {
  blockSize: number;
  fragmentSize: number;
  blocks: number;
  blocksFree: number;
  blocksAvailable: number;
  files: number;
  filesFree: number;
  filesAvailable: number;
  nameMax: number;
}

export interface SetStatAttrs {
  mode?: number;
  uid?: number;
  gid?: number;
  atime?: Date;
  mtime?: Date;
  size?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface OpenReadOptions extends CallOptions {
  /** Start offset in bytes. */
  offset?: number;
  /** Exclusive end offset; undefined = to EOF. */
  end?: number;
}

export type WriteMode = 'truncate' | 'append' | 'resume' | 'create-exclusive';

export interface OpenWriteOptions extends CallOptions {
  /**
   * truncate: create or truncate; resume: keep content, start at `offset`;
   * append: every write goes to the end; create-exclusive: fail with Exists when present.
   */
  mode: WriteMode;
  offset?: number;
  /** Permission bits for new files (before umask). */
  fileMode?: number;
  /** Also allow reads on the handle (requires features.readWrite). */
  read?: boolean;
}

/**
 * A positional reader. `read` returns fewer bytes than asked only at EOF (0 bytes = EOF).
 * Sequential callers can use `stream()`.
 */
export interface ReadHandle {
  read(buf: Buffer, position: number, signal?: AbortSignal): Promise<number>;
  /** A readable stream from the open offset to the end (or `end`). */
  stream(): NodeJS.ReadableStream;
  close(): Promise<void>;
}

/**
 * A positional writer. `close()` commits, `abort()` discards what can be discarded.
 * Backends without randomWrite accept only sequential writes; callers put a reorder buffer in front.
 */
export interface WriteHandle {
  write(buf: Buffer, position: number, signal?: AbortSignal): Promise<void>;
  /**
   * Writes `bufs` back to back from `position` in one call, where the backend can (a positional
   * writev): a protocol that gathered many socket chunks then needs no copy into one buffer.
   */
  writev?(bufs: readonly Buffer[], position: number, signal?: AbortSignal): Promise<void>;
  /** Truncate the open file (only when features.truncate, or to 0 before any write). */
  truncate?(size: number): Promise<void>;
  /** Read back (only when opened with read and features.readWrite). */
  read?(buf: Buffer, position: number): Promise<number>;
  /** Flush to stable storage (fsync) where the backend can. */
  sync?(): Promise<void>;
  stat?(): Promise<FileInfo>;
  /**
   * The file as a stat of its path will report it once this handle is closed, read from the open
   * handle (no path lookup). Only backends where this is exact before close implement it (local:
   * every write is done when it resolves); the others are stat'ed by path after close.
   */
  storedInfo?(): Promise<FileInfo>;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
  /**
   * True when `abort()` leaves the target exactly as it was before the open (object stores: the
   * upload becomes visible only at close), so callers have no partial file to remove after it.
   */
  readonly discardsOnAbort?: boolean;
}

/** The storage port. All paths are backend-relative, "/"-rooted, already cleaned. */
export interface Fs {
  /** Backend name as registered ("local", "crypt", "s3", ...). */
  readonly name: string;
  readonly features: FsFeatures;
  /** Human description for logs ("local:/srv/home/alice"); never shown to clients. */
  readonly description: string;

  stat(path: string, opts?: CallOptions): Promise<FileInfo>;
  lstat(path: string, opts?: CallOptions): Promise<FileInfo>;
  /** Streams the entries of a directory (no "." or ".."). */
  list(path: string, opts?: CallOptions): AsyncIterable<FileInfo>;
  openRead(path: string, opts?: OpenReadOptions): Promise<ReadHandle>;
  /**
   * openRead plus the attributes of the file opened, taken from the open handle: where present it
   * is cheaper than stat + openRead (local: one path lookup instead of two). A directory may open.
   */
  openReadInfo?(path: string, opts?: OpenReadOptions): Promise<{ handle: ReadHandle; info: FileInfo }>;
  openWrite(path: string, opts: OpenWriteOptions): Promise<WriteHandle>;
  mkdir(path: string, opts?: CallOptions & { mode?: number }): Promise<void>;
  /** Removes a file or symlink. */
  remove(path: string, opts?: CallOptions): Promise<void>;
  /** Removes an empty directory. */
  rmdir(path: string, opts?: CallOptions): Promise<void>;
  rename(from: string, to: string, opts?: CallOptions): Promise<void>;
  symlink(target: string, linkPath: string, opts?: CallOptions): Promise<void>;
  /** Returns the link target as a backend-relative path when it is inside the root. */
  readlink(path: string, opts?: CallOptions): Promise<string>;
  setStat(path: string, attrs: SetStatAttrs, opts?: CallOptions): Promise<void>;
  statfs(path: string, opts?: CallOptions): Promise<StatFs>;
  /** Creates the root if missing (login-time fs check). */
  ensureRoot(opts?: { uid?: number; gid?: number }): Promise<void>;
  /** Real host path for a backend path, only when features.localPath. */
  localPath?(path: string): Promise<string>;
  /**
   * The backend's own name for a backend path, computed without I/O: the host path under the root
   * (local, crypt), the object key (object stores), the remote path (SFTP). SFTPGo's transfer and
   * command logs show this as `file_path` (its resolved "fsPath"). Absent: the backend path is used.
   */
  nativePath?(path: string): string;
  /** Hard link (hardlink@openssh.com), only when features.localPath. */
  link?(existing: string, newPath: string, opts?: CallOptions): Promise<void>;
  close(): Promise<void>;
}

/** Object-store calls SFTPGo counts per cloud backend (INVENTORY §9.3 `sftpgo_<b>_*`). */
export type ObjectStoreOp = 'upload' | 'download' | 'list_objects' | 'copy_object' | 'delete_object' | 'head_object' | 'head_bucket';

/** Where object stores report their calls; telemetry implements it, nothing is counted when absent. */
export interface ObjectStoreMetrics {
  /** One call of `op` on backend `s3`, `gcs` or `az`; `bytes` moved by an upload or download. */
  objectStoreCall(backend: 's3' | 'gcs' | 'az', op: ObjectStoreOp, ok: boolean, bytes?: number): void;
}

/** What a backend factory receives. */
export interface FsFactoryOptions {
  /** Absolute root (home dir or folder mapped path); object stores use it only for temp files. */
  root: string;
  /** Backend-specific config block (s3config, cryptconfig...), secrets already decrypted as plain strings where needed. */
  config: unknown;
  /** Directory for temp files, when configured (common.temp_path). */
  tempPath?: string;
  /** Owner for created files when running as root. */
  uid?: number;
  gid?: number;
  /** Identifier used in logs. */
  connectionId?: string;
  /** Counters of object-store calls (set by the registry). */
  objectStoreMetrics?: ObjectStoreMetrics;
}

export type FsFactory = (opts: FsFactoryOptions) => Fs | Promise<Fs>;
