/**
 * The Fs port over an object store (S3, GCS, Azure Blob). What such a store cannot do is declared
 * and refused with NotSupported (INVENTORY §7 capability table): no resume/append of an existing
 * object, no random writes beyond the reorder window, no symlinks, no chmod/chown/chtimes, no
 * truncate except to 0, no rename of a non-empty directory (SFTPGo's rule), no statvfs.
 */
import type {
  CallOptions, FileInfo, Fs, FsFeatures, OpenReadOptions, OpenWriteOptions, ReadHandle, SetStatAttrs, StatFs, WriteHandle,
} from '../types.js';
import { exists, failure, notEmpty, notFound, notSupported, permissionDenied } from '../../util/errors.js';
import { DIR_CONTENT_TYPE, type ObjectDriver } from './driver.js';
import { dirInfo, fileInfo, listPrefix, probeDir } from './dirs.js';
import { ObjectPaths } from './objpath.js';
import { ObjectReadHandle } from './object-read.js';
import { ObjectWriteHandle } from './object-write.js';
import { checkSignal } from './signal.js';

/** Capabilities shared by every object store. */
export const OBJECT_STORE_FEATURES: FsFeatures = Object.freeze({
  randomWrite: false, resume: false, atomicUpload: false, symlinks: false, chmod: false, chown: false,
  chtimes: false, truncate: false, dirRename: false, emptyDirs: true, statfs: false, readWrite: false, localPath: false,
});

/** How an ObjectFs is built. */
export interface ObjectFsOptions {
  driver: ObjectDriver;
  keyPrefix?: string;
  /** Listing page size (undefined: the service default, 1000 on S3/GCS/Azure). */
  pageSize?: number;
  /** Reorder window of uploads, in bytes. */
  reorderWindow?: number;
  /** Upload part size in bytes: the upload stream buffers about one part before writes wait. */
  partSize?: number;
}

/** An object store seen as a filesystem. */
export class ObjectFs implements Fs {
  readonly features = OBJECT_STORE_FEATURES;
  readonly name: string;
  readonly description: string;
  private readonly paths: ObjectPaths;
  private readonly driver: ObjectDriver;

  constructor(private readonly o: ObjectFsOptions) {
    this.driver = o.driver;
    this.name = o.driver.name;
    this.description = o.driver.description;
    this.paths = new ObjectPaths(o.keyPrefix, o.driver.refusedChars);
  }

  async stat(p: string, o?: CallOptions): Promise<FileInfo> {
    checkSignal(o?.signal);
    const info = await this.find(p, o?.signal);
    checkSignal(o?.signal);
    if (!info) throw notFound('no such file or directory');
    return info;
  }

  lstat(p: string, o?: CallOptions): Promise<FileInfo> {
    return this.stat(p, o);
  }

  async *list(p: string, o?: CallOptions): AsyncIterable<FileInfo> {
    checkSignal(o?.signal);
    const prefix = this.paths.dirPrefix(p);
    let any = false;
    for await (const e of listPrefix(this.driver, prefix, { signal: o?.signal, pageSize: this.o.pageSize })) {
      any = true;
      yield e;
    }
    // An empty listing: an empty directory (marker only) or nothing at all.
    if (!any && !this.paths.isRoot(p) && (await this.find(p, o?.signal))?.type !== 'dir') {
      throw notFound('no such directory');
    }
  }

  async openRead(p: string, o?: OpenReadOptions): Promise<ReadHandle> {
    checkSignal(o?.signal);
    const info = await this.stat(p, o);
    if (info.type === 'dir') throw failure('cannot open a directory for reading');
    return new ObjectReadHandle({
      driver: this.driver, key: this.paths.key(p), size: info.size, start: o?.offset ?? 0, end: o?.end, signal: o?.signal,
    });
  }

  async openWrite(p: string, o: OpenWriteOptions): Promise<WriteHandle> {
    checkSignal(o.signal);
    if (o.read) throw notSupported('not supported: reading and writing the same file on this storage backend');
    const key = this.paths.key(p);
    if (this.paths.isRoot(p)) throw failure('cannot write the root directory');
    if (o.mode !== 'truncate') await this.checkNewObject(p, o);
    checkSignal(o.signal);
    return new ObjectWriteHandle({
      driver: this.driver, key, name: this.paths.baseName(p), signal: o.signal,
      window: this.o.reorderWindow, highWaterMark: this.o.partSize,
    });
  }

  async mkdir(p: string, o?: CallOptions & { mode?: number }): Promise<void> {
    checkSignal(o?.signal);
    if (this.paths.isRoot(p) || (await this.find(p, o?.signal))) throw exists('file already exists');
    const parent = this.paths.parent(p);
    if (!this.paths.isRoot(parent) && (await this.find(parent, o?.signal))?.type !== 'dir') {
      throw notFound('parent directory does not exist');
    }
    checkSignal(o?.signal);
    await this.driver.putEmpty(this.paths.dirPrefix(p), DIR_CONTENT_TYPE, o?.signal);
  }

  async remove(p: string, o?: CallOptions): Promise<void> {
    checkSignal(o?.signal);
    if (this.paths.isRoot(p)) throw permissionDenied('the root cannot be removed');
    const key = this.paths.key(p);
    if (!(await this.driver.head(key, o?.signal))) {
      if ((await this.find(p, o?.signal))?.type === 'dir') throw failure('is a directory: use rmdir');
      throw notFound('no such file');
    }
    checkSignal(o?.signal);
    await this.driver.delete(key, o?.signal);
  }

  async rmdir(p: string, o?: CallOptions): Promise<void> {
    checkSignal(o?.signal);
    if (this.paths.isRoot(p)) throw permissionDenied('the root cannot be removed');
    if (await this.driver.head(this.paths.key(p), o?.signal)) throw failure('not a directory');
    const probe = await probeDir(this.driver, this.paths.dirPrefix(p), o?.signal);
    if (!probe.exists) throw notFound('no such directory');
    if (probe.hasChildren) throw notEmpty('directory not empty');
    checkSignal(o?.signal);
    if (probe.marker) await this.driver.delete(probe.marker.key, o?.signal);
  }

  /** Files: server-side copy then delete (not atomic). Directories: only empty ones (SFTPGo). */
  async rename(from: string, to: string, o?: CallOptions): Promise<void> {
    checkSignal(o?.signal);
    if (this.paths.isRoot(from) || this.paths.isRoot(to)) throw permissionDenied('the root cannot be renamed');
    const src = this.paths.key(from);
    const dst = this.paths.key(to);
    if (src === dst) return;
    if (await this.driver.head(src, o?.signal)) {
      checkSignal(o?.signal);
      await this.driver.copy(src, dst, o?.signal);
      await this.driver.delete(src, o?.signal);
      return;
    }
    await this.renameDir(from, to, o?.signal);
  }

  async symlink(_target: string, _linkPath: string, o?: CallOptions): Promise<void> {
    checkSignal(o?.signal);
    throw notSupported('not supported: symlinks on this storage backend');
  }

  async readlink(_p: string, o?: CallOptions): Promise<string> {
    checkSignal(o?.signal);
    throw notSupported('not supported: symlinks on this storage backend');
  }

  /** Only truncation to 0 of an existing file; chmod, chown and chtimes are not supported (§4.8). */
  async setStat(p: string, a: SetStatAttrs, o?: CallOptions): Promise<void> {
    checkSignal(o?.signal);
    if (a.mode !== undefined) throw notSupported('not supported: chmod on this storage backend');
    if (a.uid !== undefined || a.gid !== undefined) throw notSupported('not supported: chown on this storage backend');
    if (a.atime || a.mtime) throw notSupported('not supported: chtimes on this storage backend');
    if (a.size === undefined) return;
    if (a.size !== 0) throw notSupported('not supported: truncate on this storage backend (only to 0)');
    const info = await this.stat(p, o);
    if (info.type === 'dir') throw failure('cannot truncate a directory');
    if (info.size > 0) await this.driver.putEmpty(this.paths.key(p), undefined, o?.signal);
  }

  async statfs(_p: string, o?: CallOptions): Promise<StatFs> {
    checkSignal(o?.signal);
    throw notSupported('not supported: statvfs on this storage backend');
  }

  /** The object key ("/" is the key prefix itself). */
  nativePath(p: string): string {
    return p === '/' ? this.paths.prefix : this.paths.key(p);
  }

  /** Nothing to create: the key prefix needs not exist (SFTPGo); the bucket must. */
  async ensureRoot(): Promise<void> {}

  async close(): Promise<void> {
    await this.driver.close();
  }

  /** File or directory at `p`, or undefined. A file wins over a prefix of the same name. */
  private async find(p: string, signal?: AbortSignal): Promise<FileInfo | undefined> {
    const name = this.paths.baseName(p);
    if (this.paths.isRoot(p)) {
      // SFTPGo checks that the bucket exists when the root of a store without key prefix is
      // stat'ed (with a prefix the root is a plain prefix and is always there). A missing bucket
      // is a configuration problem, as cloudError reports it, not a missing file.
      if (!this.o.keyPrefix && !(await this.driver.headRoot(signal))) throw failure('the bucket or container does not exist');
      return dirInfo('/', new Date(0));
    }
    const meta = await this.driver.head(this.paths.key(p), signal);
    if (meta) return fileInfo(name, meta);
    const probe = await probeDir(this.driver, this.paths.dirPrefix(p), signal);
    if (!probe.exists) return undefined;
    return dirInfo(name, probe.marker?.mtime ?? new Date());
  }

  /** resume/append/create-exclusive: only a new object can be written (no resume on object stores). */
  private async checkNewObject(p: string, o: OpenWriteOptions): Promise<void> {
    if ((o.offset ?? 0) > 0) throw notSupported(`not supported: writing from offset ${o.offset} on this storage backend (no resume)`);
    const cur = await this.find(p, o.signal);
    if (!cur) return;
    if (cur.type === 'dir') throw failure('is a directory');
    if (o.mode === 'create-exclusive') throw exists('file already exists');
    // An existing empty object has nothing to keep: writing it anew is the same as resuming it.
    if (cur.size > 0) throw notSupported(`not supported: ${o.mode} of an existing file on this storage backend`);
  }

  private async renameDir(from: string, to: string, signal?: AbortSignal): Promise<void> {
    const probe = await probeDir(this.driver, this.paths.dirPrefix(from), signal);
    if (!probe.exists) throw notFound('no such file or directory');
    if (probe.hasChildren) throw notSupported(`not supported: cannot rename non empty directory ${from} on this storage backend`);
    if (await this.find(to, signal)) throw exists('target already exists');
    checkSignal(signal);
    await this.driver.putEmpty(this.paths.dirPrefix(to), DIR_CONTENT_TYPE, signal);
    if (probe.marker) await this.driver.delete(probe.marker.key, signal);
  }
}
