/**
 * Remote SFTP storage (INVENTORY §7.6) over the ssh2 client: one SSH connection per instance,
 * re-established when dropped; paths live under `prefix`, confined as in paths.ts. Without
 * `buffer_size` the backend has the local feature set (resume, truncate, read+write, random
 * writes); with it uploads are sequential and buffered, so those are not declared.
 */
import path from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import type {
  CallOptions, FileInfo, Fs, FsFactoryOptions, FsFeatures, OpenReadOptions, OpenWriteOptions,
  ReadHandle, SetStatAttrs, StatFs, WriteHandle,
} from '../types.js';
import { checkSignal } from '../shared/signal.js';
import { errorKindOf, ErrorKind, exists, notEmpty, notSupported, permissionDenied } from '../../util/errors.js';
import { parseSftpConfig, type SftpBackendConfig, type SftpLoopGuard } from './config.js';
import { SftpBufferedWriteHandle, SftpReadHandle, SftpWriteHandle } from './handles.js';
import * as op from './ops.js';
import { cleanPath, RemotePaths } from './paths.js';
import { raceSignal, SftpSession } from './session.js';

const UNBUFFERED: FsFeatures = Object.freeze({
  randomWrite: true, resume: true, atomicUpload: true, symlinks: true, chmod: true, chown: true, chtimes: true,
  truncate: true, dirRename: true, emptyDirs: true, statfs: true, readWrite: true, localPath: false,
});
const BUFFERED: FsFeatures = Object.freeze({ ...UNBUFFERED, randomWrite: false, resume: false, truncate: false, readWrite: false });

const { READ, WRITE, APPEND, CREAT, TRUNC, EXCL } = op.OpenFlags;
const WRITE_FLAGS: Record<OpenWriteOptions['mode'], number> = {
  truncate: WRITE | CREAT | TRUNC, append: WRITE | CREAT | APPEND, resume: WRITE | CREAT, 'create-exclusive': WRITE | CREAT | EXCL,
};

/** The SFTP backend. */
export class SftpFs implements Fs {
  readonly name = 'sftp';
  readonly features: FsFeatures;
  readonly description: string;
  private readonly session: SftpSession;
  private readonly paths: RemotePaths;

  constructor(private readonly cfg: SftpBackendConfig) {
    this.features = cfg.bufferSize > 0 ? BUFFERED : UNBUFFERED;
    this.description = `sftp:${cfg.username}@${cfg.host}:${cfg.port}${cfg.prefix}`;
    this.session = new SftpSession(cfg);
    this.paths = new RemotePaths(cfg.prefix);
  }

  stat(p: string, o?: CallOptions): Promise<FileInfo> {
    return this.run(o, async (s) => op.toFileInfo(baseName(p), await op.stat(s, await this.paths.resolve(s, p))));
  }

  lstat(p: string, o?: CallOptions): Promise<FileInfo> {
    return this.run(o, async (s) => {
      const remote = await this.paths.resolve(s, p, false);
      const info = op.toFileInfo(baseName(p), await op.lstat(s, remote));
      if (info.type === 'symlink') info.linkTarget = await op.readlink(s, remote).catch(() => undefined);
      return info;
    });
  }

  async *list(p: string, o?: CallOptions): AsyncIterable<FileInfo> {
    const s = await this.session.get(o?.signal);
    const handle = await this.run(o, async () => op.opendir(s, await this.paths.resolve(s, p)));
    try {
      for (;;) {
        const batch = await this.run(o, () => op.readdirBatch(s, handle));
        if (!batch) break;
        for (const e of batch) {
          checkSignal(o?.signal);
          if (e.filename !== '.' && e.filename !== '..') yield op.toFileInfo(e.filename, e.attrs);
        }
      }
    } finally {
      await op.closeHandle(s, handle).catch(() => undefined);
    }
  }

  openRead(p: string, o?: OpenReadOptions): Promise<ReadHandle> {
    return this.run(o, async (s) => {
      const handle = await op.open(s, await this.paths.resolve(s, p), READ);
      return new SftpReadHandle(s, handle, { start: o?.offset ?? 0, end: o?.end, concurrent: !this.cfg.disableConcurrentReads });
    });
  }

  openWrite(p: string, o: OpenWriteOptions): Promise<WriteHandle> {
    return this.run(o, async (s) => {
      if (this.cfg.bufferSize > 0 && (o.mode === 'resume' || o.mode === 'append')) throw notSupported(`${o.mode} uploads with buffer_size set`);
      if (o.read && !this.features.readWrite) throw notSupported('read+write handles with buffer_size set');
      const remote = await this.paths.resolve(s, p);
      const flags = WRITE_FLAGS[o.mode] | (o.read ? READ : 0);
      const handle = await op.open(s, remote, flags).catch((err: unknown) => this.refine(s, err, o.mode === 'create-exclusive' ? remote : undefined));
      if (this.cfg.bufferSize > 0) return new SftpBufferedWriteHandle(s, handle, this.cfg.bufferSize);
      return new SftpWriteHandle(s, handle, baseName(p));
    });
  }

  mkdir(p: string, o?: CallOptions & { mode?: number }): Promise<void> {
    return this.run(o, async (s) => {
      const remote = await this.paths.resolve(s, p);
      await op.mkdir(s, remote, o?.mode !== undefined ? { mode: o.mode } : {}).catch((err: unknown) => this.refine(s, err, remote));
    });
  }

  remove(p: string, o?: CallOptions): Promise<void> {
    return this.run(o, async (s) => {
      const remote = await this.rootSafe(s, p);
      if ((await op.lstat(s, remote)).isDirectory()) throw permissionDenied('remove does not delete directories');
      await op.unlink(s, remote);
    });
  }

  rmdir(p: string, o?: CallOptions): Promise<void> {
    return this.run(o, async (s) => {
      const remote = await this.rootSafe(s, p);
      await op.rmdir(s, remote).catch(async (err: unknown) => {
        if (errorKindOf(err) === ErrorKind.Failure && (await this.hasEntries(s, remote))) throw notEmpty('directory not empty', err);
        throw err;
      });
    });
  }

  rename(from: string, to: string, o?: CallOptions): Promise<void> {
    return this.run(o, async (s) => op.rename(s, await this.rootSafe(s, from), await this.rootSafe(s, to)));
  }

  /** Links point to the absolute remote path of `target` (kept inside the prefix by cleaning). */
  symlink(target: string, linkPath: string, o?: CallOptions): Promise<void> {
    return this.run(o, async (s) => op.symlink(s, this.paths.remote(target), await this.rootSafe(s, linkPath)));
  }

  nativePath(p: string): string {
    return this.paths.remote(p);
  }

  readlink(p: string, o?: CallOptions): Promise<string> {
    return this.run(o, async (s) => {
      const remote = await this.paths.resolve(s, p, false);
      const abs = path.posix.resolve(path.posix.dirname(remote), await op.readlink(s, remote));
      await this.paths.getRealPrefix(s);
      const rel = this.paths.backendOf(abs);
      if (rel === undefined) throw permissionDenied('symlink target is outside the SFTP prefix');
      return rel;
    });
  }

  setStat(p: string, a: SetStatAttrs, o?: CallOptions): Promise<void> {
    return this.run(o, async (s) => {
      if (a.size !== undefined && !this.features.truncate) throw notSupported('truncate with buffer_size set');
      const remote = await this.paths.resolve(s, p);
      if (a.mode !== undefined) await op.setstat(s, remote, { mode: a.mode & 0o7777 });
      if (a.uid !== undefined || a.gid !== undefined) await this.chown(s, remote, a);
      if (a.atime || a.mtime) await this.utimes(s, remote, a);
      if (a.size !== undefined) await op.setstat(s, remote, { size: a.size });
    });
  }

  statfs(p: string, o?: CallOptions): Promise<StatFs> {
    return this.run(o, async (s) => {
      const v = await op.statvfs(s, await this.paths.resolve(s, p));
      const n = (k: string) => Number(v[`f_${k}`] ?? 0);
      return {
        blockSize: n('bsize'), fragmentSize: n('frsize'), blocks: n('blocks'), blocksFree: n('bfree'), blocksAvailable: n('bavail'),
        files: n('files'), filesFree: n('ffree'), filesAvailable: n('favail'), nameMax: n('namemax'),
      };
    });
  }

  /** Login-time check: the remote is reachable and accepts us (the prefix is not created, as SFTPGo). */
  async ensureRoot(): Promise<void> {
    await this.session.get();
  }

  close(): Promise<void> {
    return this.session.close();
  }

  /** Runs `fn` on a live channel between signal checks; the wait itself honours the signal. */
  private async run<T>(o: CallOptions | undefined, fn: (s: SFTPWrapper) => Promise<T>): Promise<T> {
    checkSignal(o?.signal);
    const s = await this.session.get(o?.signal);
    const out = await raceSignal(fn(s), o?.signal);
    checkSignal(o?.signal);
    return out;
  }

  /** Remote path whose parent is confined; the root itself can never be removed or renamed. */
  private async rootSafe(s: SFTPWrapper, p: string): Promise<string> {
    if (cleanPath(p) === '/') throw permissionDenied('the root cannot be changed');
    return this.paths.resolve(s, p, false);
  }

  /** OpenSSH reports EEXIST as a bare FAILURE: tell Exists apart when the path is there. */
  private async refine(s: SFTPWrapper, err: unknown, remote?: string): Promise<never> {
    if (remote && errorKindOf(err) === ErrorKind.Failure && (await op.lstat(s, remote).then(() => true, () => false))) {
      throw exists('file exists', err);
    }
    throw err;
  }

  private async hasEntries(s: SFTPWrapper, remote: string): Promise<boolean> {
    const h = await op.opendir(s, remote).catch(() => undefined);
    if (!h) return false;
    try {
      const batch = await op.readdirBatch(s, h);
      return !!batch?.some((e) => e.filename !== '.' && e.filename !== '..');
    } finally {
      await op.closeHandle(s, h).catch(() => undefined);
    }
  }

  private async chown(s: SFTPWrapper, remote: string, a: SetStatAttrs): Promise<void> {
    const st = a.uid === undefined || a.gid === undefined ? await op.stat(s, remote) : undefined;
    await op.setstat(s, remote, { uid: a.uid ?? st!.uid, gid: a.gid ?? st!.gid });
  }

  private async utimes(s: SFTPWrapper, remote: string, a: SetStatAttrs): Promise<void> {
    const st = a.atime && a.mtime ? undefined : await op.stat(s, remote);
    await op.setstat(s, remote, { atime: a.atime ?? st!.atime, mtime: a.mtime ?? st!.mtime });
  }
}

function baseName(p: string): string {
  const clean = cleanPath(p);
  return clean === '/' ? '/' : path.posix.basename(clean);
}

/** Factory registered as "sftp" (provider code 5); `loopGuard` is the wiring's (see config.ts). */
export function createSftpFs(opts: FsFactoryOptions, loopGuard?: SftpLoopGuard): Fs {
  return new SftpFs(parseSftpConfig(opts.config, loopGuard));
}
