/**
 * Encrypted local storage (INVENTORY §7.2): a layer over a local backend that stores every file
 * as SFTPGo does (version byte, nonce, DARE 2.0 stream), so files move between SFTPGo and this
 * server unchanged. Directories, names, links and attributes are the inner backend's; only file
 * contents and sizes change. Sizes shown are the plaintext sizes; `diskSize` carries the encrypted
 * size, which quota counts (as SFTPGo does). No resume, append, truncate or read+write: a DARE
 * stream can only be written from the start.
 */
import { randomBytes } from 'node:crypto';
import type {
  CallOptions, FileInfo, Fs, FsFactoryOptions, FsFeatures, OpenReadOptions, OpenWriteOptions,
  ReadHandle, SetStatAttrs, StatFs, WriteHandle,
} from '../types.js';
import { checkSignal } from '../shared/signal.js';
import { errorKindOf, ErrorKind, invalidInput, notSupported, failure } from '../../util/errors.js';
import { FILE_HEADER_SIZE, keyFromHeader, newFileHeader, plainSizeOf } from './format.js';
import { CryptReadHandle } from './reader.js';
import { CryptWriteHandle } from './writer.js';

const FEATURES: FsFeatures = Object.freeze({
  randomWrite: false, resume: false, atomicUpload: true, symlinks: true, chmod: true, chown: true,
  chtimes: true, truncate: false, dirRename: true, emptyDirs: true, statfs: true, readWrite: false, localPath: false,
});

/** The encrypting layer over `inner` (a local backend on the same root). */
export class CryptFs implements Fs {
  readonly name = 'crypt';
  readonly features = FEATURES;
  readonly description: string;

  constructor(private readonly inner: Fs, private readonly passphrase: Buffer) {
    this.description = `crypt:${inner.description}`;
  }

  async stat(p: string, o?: CallOptions): Promise<FileInfo> {
    return plainInfo(await this.inner.stat(p, o));
  }

  async lstat(p: string, o?: CallOptions): Promise<FileInfo> {
    return plainInfo(await this.inner.lstat(p, o));
  }

  async *list(p: string, o?: CallOptions): AsyncIterable<FileInfo> {
    for await (const e of this.inner.list(p, o)) yield plainInfo(e);
  }

  async openRead(p: string, o?: OpenReadOptions): Promise<ReadHandle> {
    const info = await this.inner.stat(p, o);
    if (info.type === 'dir') throw notSupported('cannot read a directory');
    const inner = await this.inner.openRead(p, { signal: o?.signal });
    try {
      const header = Buffer.alloc(FILE_HEADER_SIZE);
      const n = await inner.read(header, 0, o?.signal);
      const key = keyFromHeader(this.passphrase, header.subarray(0, n));
      return new CryptReadHandle({ inner, key, diskSize: info.size, start: o?.offset ?? 0, end: o?.end });
    } catch (err) {
      await inner.close();
      throw err;
    }
  }

  async openWrite(p: string, o: OpenWriteOptions): Promise<WriteHandle> {
    checkSignal(o.signal);
    if (o.mode === 'append' || o.mode === 'resume') throw notSupported(`${o.mode} uploads on encrypted storage`);
    if (o.read) throw notSupported('read+write handles on encrypted storage');
    const inner = await this.inner.openWrite(p, { mode: o.mode, fileMode: o.fileMode, signal: o.signal });
    const discard = () => this.inner.remove(p).catch((err: unknown) => {
      if (errorKindOf(err) !== ErrorKind.NotFound) throw err;
    });
    try {
      const { header, key } = newFileHeader(this.passphrase);
      await inner.write(header, 0, o.signal);
      return new CryptWriteHandle({ inner, key, random: randomBytes(12), discard });
    } catch (err) {
      await inner.abort(err);
      await discard().catch(() => undefined);
      throw err;
    }
  }

  mkdir(p: string, o?: CallOptions & { mode?: number }): Promise<void> {
    return this.inner.mkdir(p, o);
  }

  remove(p: string, o?: CallOptions): Promise<void> {
    return this.inner.remove(p, o);
  }

  rmdir(p: string, o?: CallOptions): Promise<void> {
    return this.inner.rmdir(p, o);
  }

  rename(from: string, to: string, o?: CallOptions): Promise<void> {
    return this.inner.rename(from, to, o);
  }

  symlink(target: string, linkPath: string, o?: CallOptions): Promise<void> {
    return this.inner.symlink(target, linkPath, o);
  }

  nativePath(p: string): string {
    return this.inner.nativePath?.(p) ?? p;
  }

  readlink(p: string, o?: CallOptions): Promise<string> {
    return this.inner.readlink(p, o);
  }

  /** Truncation would cut a DARE stream: refused like SFTPGo (even to 0). */
  async setStat(p: string, attrs: SetStatAttrs, o?: CallOptions): Promise<void> {
    checkSignal(o?.signal);
    if (attrs.size !== undefined) throw notSupported('truncate on encrypted storage');
    await this.inner.setStat(p, attrs, o);
  }

  statfs(p: string, o?: CallOptions): Promise<StatFs> {
    return this.inner.statfs(p, o);
  }

  ensureRoot(o?: { uid?: number; gid?: number }): Promise<void> {
    return this.inner.ensureRoot(o);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** A file's info with the plaintext size; the encrypted size stays in `diskSize`. */
function plainInfo(info: FileInfo): FileInfo {
  if (info.type !== 'file') return info;
  return { ...info, size: plainSizeOf(info.size), diskSize: info.size };
}

/** The passphrase from `cryptconfig` (already opened by the registry). */
export function passphraseOf(config: unknown): Buffer {
  const value = (config as { passphrase?: unknown } | undefined)?.passphrase;
  if (value !== undefined && typeof value !== 'string') throw failure('cryptconfig.passphrase was not opened by the KMS');
  if (!value) throw invalidInput('cryptconfig.passphrase is required');
  return Buffer.from(value, 'utf8');
}

/** Factory registered as "crypt" (provider code 4): `inner` is a local backend on the same root. */
export function createCryptFs(opts: FsFactoryOptions, inner: Fs): Fs {
  return new CryptFs(inner, passphraseOf(opts.config));
}
