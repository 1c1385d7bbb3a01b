/**
 * Local disk backend (INVENTORY §7.1). Every path goes through the Confiner, so `..`, absolute
 * paths, NUL bytes and symlinks pointing outside the root cannot escape it.
 */
import { constants as C } from 'node:fs';
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import type {
  CallOptions, FileInfo, Fs, FsFactoryOptions, FsFeatures, OpenReadOptions, OpenWriteOptions,
  ReadHandle, SetStatAttrs, StatFs, WriteHandle,
} from '../types.js';
import { guarded } from '../shared/signal.js';
import { permissionDenied } from '../../util/errors.js';
import { cleanBackendPath, Confiner } from './confine.js';
import { LocalReadHandle, LocalWriteHandle } from './handles.js';
import { toFileInfo } from './stat.js';

const FEATURES: FsFeatures = Object.freeze({
  randomWrite: true, resume: true, atomicUpload: true, symlinks: true, chmod: true, chown: true,
  chtimes: true, truncate: true, dirRename: true, emptyDirs: true, statfs: true, readWrite: true, localPath: true,
});

const WRITE_FLAGS: Record<OpenWriteOptions['mode'], number> = {
  truncate: C.O_CREAT | C.O_TRUNC,
  append: C.O_CREAT | C.O_APPEND,
  resume: C.O_CREAT,
  'create-exclusive': C.O_CREAT | C.O_EXCL,
};

/** The local filesystem rooted at `opts.root`. */
export class LocalFs implements Fs {
  readonly name = 'local';
  readonly features = FEATURES;
  readonly description: string;
  private readonly confiner: Confiner;

  constructor(private readonly opts: FsFactoryOptions) {
    this.confiner = new Confiner(path.resolve(opts.root));
    this.description = `local:${this.confiner.root}`;
  }

  async stat(p: string, o?: CallOptions): Promise<FileInfo> {
    return guarded(o?.signal, async () => toFileInfo(baseName(p), await fsp.stat(await this.confiner.resolve(p))));
  }

  async lstat(p: string, o?: CallOptions): Promise<FileInfo> {
    return guarded(o?.signal, async () => {
      const host = await this.confiner.resolve(p, false);
      const st = await fsp.lstat(host);
      return toFileInfo(baseName(p), st, st.isSymbolicLink() ? await fsp.readlink(host) : undefined);
    });
  }

  async *list(p: string, o?: CallOptions): AsyncIterable<FileInfo> {
    const host = await guarded(o?.signal, () => this.confiner.resolve(p));
    const dir = await guarded(o?.signal, () => fsp.opendir(host));
    try {
      for (;;) {
        const ent = await guarded(o?.signal, () => dir.read());
        if (!ent) break;
        const st = await fsp.lstat(path.join(host, ent.name)).catch(() => undefined);
        if (st) yield toFileInfo(ent.name, st);
      }
    } finally {
      await dir.close().catch(() => undefined);
    }
  }

  async openRead(p: string, o?: OpenReadOptions): Promise<ReadHandle> {
    return guarded(o?.signal, async () => {
      const fh = await fsp.open(await this.confiner.resolve(p), C.O_RDONLY);
      return new LocalReadHandle(fh, o?.offset ?? 0, o?.end);
    });
  }

  async openWrite(p: string, o: OpenWriteOptions): Promise<WriteHandle> {
    return guarded(o.signal, async () => {
      const host = await this.confiner.resolve(p);
      const flags = WRITE_FLAGS[o.mode] | (o.read ? C.O_RDWR : C.O_WRONLY);
      const existed = await fsp.lstat(host).then(() => true, () => false);
      const fh = await fsp.open(host, flags, o.fileMode ?? 0o666);
      if (!existed) await this.chownNew(host);
      return new LocalWriteHandle(fh, o.mode === 'append', baseName(p));
    });
  }

  async mkdir(p: string, o?: CallOptions & { mode?: number }): Promise<void> {
    await guarded(o?.signal, async () => {
      const host = await this.confiner.resolve(p);
      await fsp.mkdir(host, o?.mode ?? 0o777);
      await this.chownNew(host);
    });
  }

  async remove(p: string, o?: CallOptions): Promise<void> {
    await guarded(o?.signal, async () => fsp.unlink(await this.rootSafe(p)));
  }

  async rmdir(p: string, o?: CallOptions): Promise<void> {
    await guarded(o?.signal, async () => fsp.rmdir(await this.rootSafe(p)));
  }

  async rename(from: string, to: string, o?: CallOptions): Promise<void> {
    await guarded(o?.signal, async () => fsp.rename(await this.rootSafe(from), await this.rootSafe(to)));
  }

  /** Links point to the absolute host path of `target` (which must be inside the root). */
  async symlink(target: string, linkPath: string, o?: CallOptions): Promise<void> {
    await guarded(o?.signal, async () => {
      const hostTarget = this.confiner.hostPath(target);
      await fsp.symlink(hostTarget, await this.rootSafe(linkPath));
    });
  }

  async readlink(p: string, o?: CallOptions): Promise<string> {
    return guarded(o?.signal, async () => {
      const host = await this.confiner.resolve(p, false);
      const abs = path.resolve(path.dirname(host), await fsp.readlink(host));
      const rel = this.confiner.backendPath(abs) ?? this.confiner.backendPath(abs, await this.confiner.getRealRoot());
      if (rel === undefined) throw permissionDenied('symlink target is outside the root');
      return rel;
    });
  }

  /** Applies every attribute given (the core decides which group a request may change). */
  async setStat(p: string, a: SetStatAttrs, o?: CallOptions): Promise<void> {
    await guarded(o?.signal, async () => {
      const host = await this.confiner.resolve(p);
      if (a.mode !== undefined) await fsp.chmod(host, a.mode & 0o7777);
      if (a.uid !== undefined || a.gid !== undefined) await fsp.chown(host, a.uid ?? -1, a.gid ?? -1);
      if (a.atime || a.mtime) {
        const st = a.atime && a.mtime ? undefined : await fsp.stat(host);
        await fsp.utimes(host, a.atime ?? st!.atime, a.mtime ?? st!.mtime);
      }
      if (a.size !== undefined) await fsp.truncate(host, a.size);
    });
  }

  async statfs(p: string, o?: CallOptions): Promise<StatFs> {
    return guarded(o?.signal, async () => {
      const s = await fsp.statfs(await this.confiner.resolve(p));
      return {
        blockSize: s.bsize, fragmentSize: s.bsize, blocks: s.blocks, blocksFree: s.bfree,
        blocksAvailable: s.bavail, files: s.files, filesFree: s.ffree, filesAvailable: s.ffree, nameMax: 255,
      };
    });
  }

  /** mkdir -p of the root; chown to uid/gid when given and running as root. */
  async ensureRoot(o?: { uid?: number; gid?: number }): Promise<void> {
    await guarded(undefined, async () => {
      const created = await fsp.mkdir(this.confiner.root, { recursive: true, mode: 0o777 });
      if (created !== undefined) await this.chownNew(this.confiner.root, o?.uid, o?.gid);
    });
  }

  nativePath(p: string): string {
    return this.confiner.hostPath(p);
  }

  async localPath(p: string): Promise<string> {
    return guarded(undefined, () => this.confiner.resolve(p));
  }

  async link(existing: string, newPath: string, o?: CallOptions): Promise<void> {
    await guarded(o?.signal, async () => fsp.link(await this.confiner.resolve(existing), await this.rootSafe(newPath)));
  }

  async close(): Promise<void> {}

  /** Host path whose parent is confined; the root itself can never be removed or renamed. */
  private async rootSafe(p: string): Promise<string> {
    if (cleanBackendPath(p) === '/') throw permissionDenied('the root cannot be changed');
    return this.confiner.resolve(p, false);
  }

  private async chownNew(host: string, uid = this.opts.uid, gid = this.opts.gid): Promise<void> {
    if (process.getuid?.() !== 0) return;
    if ((uid ?? 0) <= 0 && (gid ?? 0) <= 0) return;
    await fsp.lchown(host, uid && uid > 0 ? uid : -1, gid && gid > 0 ? gid : -1);
  }
}

function baseName(p: string): string {
  const clean = cleanBackendPath(p);
  return clean === '/' ? '/' : path.posix.basename(clean);
}

/** Factory registered as "local" (provider code 0). */
export function createLocalFs(opts: FsFactoryOptions): Fs {
  return new LocalFs(opts);
}
