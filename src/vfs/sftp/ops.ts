/**
 * Promise forms of the ssh2 SFTP client calls the backend uses, with SFTP statuses turned into
 * error kinds, and the conversion of SFTP attributes to the port's FileInfo.
 */
import type { Attributes, FileEntryWithStats, InputAttributes, SFTPWrapper, Stats } from 'ssh2';
import { FileType, type FileInfo } from '../types.js';
import { notSupported } from '../../util/errors.js';
import { sftpError } from './session.js';

type Cb<T> = (err: Error | undefined | null, value: T) => void;

/** Runs one callback-style call; rejects with an SftpGoError naming `what`. */
export function call<T>(what: string, fn: (cb: Cb<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      fn((err, value) => (err ? reject(sftpError(err, what)) : resolve(value)));
    } catch (err) {
      reject(sftpError(err, what));
    }
  });
}

/** SFTP v3 open flags (draft-ietf-secsh-filexfer-02 §6.3). */
export const OpenFlags = { READ: 0x01, WRITE: 0x02, APPEND: 0x04, CREAT: 0x08, TRUNC: 0x10, EXCL: 0x20 } as const;

export const stat = (s: SFTPWrapper, p: string) => call<Stats>(`stat ${p}`, (cb) => s.stat(p, cb));
export const lstat = (s: SFTPWrapper, p: string) => call<Stats>(`lstat ${p}`, (cb) => s.lstat(p, cb));
export const realpath = (s: SFTPWrapper, p: string) => call<string>(`realpath ${p}`, (cb) => s.realpath(p, cb));
export const readlink = (s: SFTPWrapper, p: string) => call<string>(`readlink ${p}`, (cb) => s.readlink(p, cb));
export const open = (s: SFTPWrapper, p: string, flags: number) => call<Buffer>(`open ${p}`, (cb) => s.open(p, flags, cb));
export const closeHandle = (s: SFTPWrapper, h: Buffer) => call<void>('close', (cb) => s.close(h, (err) => cb(err, undefined)));
export const opendir = (s: SFTPWrapper, p: string) => call<Buffer>(`opendir ${p}`, (cb) => s.opendir(p, cb));
export const unlink = (s: SFTPWrapper, p: string) => call<void>(`remove ${p}`, (cb) => s.unlink(p, (err) => cb(err, undefined)));
export const rmdir = (s: SFTPWrapper, p: string) => call<void>(`rmdir ${p}`, (cb) => s.rmdir(p, (err) => cb(err, undefined)));
export const mkdir = (s: SFTPWrapper, p: string, attrs: InputAttributes) => call<void>(`mkdir ${p}`, (cb) => s.mkdir(p, attrs, (err) => cb(err, undefined)));
export const symlink = (s: SFTPWrapper, target: string, link: string) => call<void>(`symlink ${link}`, (cb) => s.symlink(target, link, (err) => cb(err, undefined)));
export const setstat = (s: SFTPWrapper, p: string, a: InputAttributes) => call<void>(`setstat ${p}`, (cb) => s.setstat(p, a, (err) => cb(err, undefined)));
export const fsetstat = (s: SFTPWrapper, h: Buffer, a: InputAttributes) => call<void>('fsetstat', (cb) => s.fsetstat(h, a, (err) => cb(err, undefined)));
export const fstat = (s: SFTPWrapper, h: Buffer) => call<Stats>('fstat', (cb) => s.fstat(h, cb));

/** One READDIR batch; undefined at end of directory. */
export function readdirBatch(s: SFTPWrapper, h: Buffer): Promise<FileEntryWithStats[] | undefined> {
  return new Promise((resolve, reject) => {
    s.readdir(h, (err, list) => {
      if (err && (err as { code?: number }).code === 1) resolve(undefined);
      else if (err) reject(sftpError(err, 'readdir'));
      else resolve(list);
    });
  });
}

/** Reads up to `len` bytes at `pos`; 0 at EOF. */
export function readAt(s: SFTPWrapper, h: Buffer, buf: Buffer, off: number, len: number, pos: number): Promise<number> {
  return new Promise((resolve, reject) => {
    s.read(h, buf, off, len, pos, (err, n) => {
      if (err && (err as { code?: number }).code === 1) resolve(0);
      else if (err) reject(sftpError(err, 'read'));
      else resolve(n);
    });
  });
}

export function writeAt(s: SFTPWrapper, h: Buffer, buf: Buffer, pos: number): Promise<void> {
  return call<void>('write', (cb) => s.write(h, buf, 0, buf.length, pos, (err) => cb(err, undefined)));
}

/** True when the server announced an OpenSSH extension (posix-rename, statvfs, fsync...). */
export function hasExtension(s: SFTPWrapper, name: string): boolean {
  return !!(s as unknown as { _extensions?: Record<string, string> })._extensions?.[name];
}

/** rename that replaces an existing target (posix-rename@openssh.com), or plain SFTP rename. */
export function rename(s: SFTPWrapper, from: string, to: string): Promise<void> {
  if (hasExtension(s, 'posix-rename@openssh.com')) {
    return call<void>(`rename ${from}`, (cb) => s.ext_openssh_rename(from, to, (err) => cb(err, undefined)));
  }
  return call<void>(`rename ${from}`, (cb) => s.rename(from, to, (err) => cb(err, undefined)));
}

/** statvfs@openssh.com; NotSupported when the server lacks it. */
export async function statvfs(s: SFTPWrapper, p: string): Promise<Record<string, number>> {
  if (!hasExtension(s, 'statvfs@openssh.com')) throw notSupported('statvfs: the remote SFTP server lacks statvfs@openssh.com');
  return call<Record<string, number>>(`statvfs ${p}`, (cb) => s.ext_openssh_statvfs(p, cb));
}

export async function fsync(s: SFTPWrapper, h: Buffer): Promise<void> {
  if (!hasExtension(s, 'fsync@openssh.com')) return;
  await call<unknown>('fsync', (cb) => s.ext_openssh_fsync(h, cb));
}

const S_IFMT = 0o170000;
const TYPES: Record<number, FileType> = { 0o040000: FileType.Dir, 0o100000: FileType.File, 0o120000: FileType.Symlink };

/** FileInfo from SFTP attributes. */
export function toFileInfo(name: string, a: Attributes): FileInfo {
  return {
    name,
    type: TYPES[a.mode & S_IFMT] ?? FileType.Other,
    size: a.size,
    mode: a.mode & 0o7777,
    mtime: new Date(a.mtime * 1000),
    atime: new Date(a.atime * 1000),
    uid: a.uid,
    gid: a.gid,
  };
}
