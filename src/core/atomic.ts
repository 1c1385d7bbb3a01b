/**
 * Where an atomic upload writes before it becomes visible (INVENTORY §4.7, §4.9):
 * `.sftpgo-upload.<id>.<basename>` next to the target, or in `common.temp_path` when configured
 * and the backend has real local paths (the move then happens between host paths).
 */
import { randomBytes } from 'node:crypto';
import { copyFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Fs } from '../vfs/types.js';
import { toSftpGoError } from '../util/errors.js';
import type { ConnCore } from './conn-core.js';
import type { Resolved } from './vfolders.js';

/** The temp file of one atomic upload. */
export interface AtomicSlot {
  fs: Fs;
  path: string;
  /** Temp file → target (commit). */
  toTarget(): Promise<void>;
  /** Target → temp file (resume of an existing file). */
  fromTarget(): Promise<void>;
}

/** `.sftpgo-upload.<id>.<basename>`. */
export function tempName(base: string): string {
  return `.sftpgo-upload.${randomBytes(10).toString('hex')}.${base}`;
}

/** rename, falling back to copy + unlink across devices. */
async function move(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw toSftpGoError(err);
    await copyFile(from, to).catch((e: unknown) => { throw toSftpGoError(e); });
    await unlink(from).catch(() => undefined);
  }
}

/** Chooses the temp location for an upload to `res`. */
export async function atomicSlot(c: ConnCore, res: Resolved): Promise<AtomicSlot> {
  const name = tempName(path.posix.basename(res.fsPath));
  const tempFs = c.config.common.temp_path && res.fs.localPath ? await c.vfs.tempFs() : undefined;
  if (!tempFs || !res.fs.localPath) {
    const p = path.posix.join(path.posix.dirname(res.fsPath), name);
    return {
      fs: res.fs, path: p,
      toTarget: () => res.fs.rename(p, res.fsPath),
      fromTarget: () => res.fs.rename(res.fsPath, p),
    };
  }
  const tempHost = await tempFs.localPath!(`/${name}`);
  const targetHost = await res.fs.localPath(res.fsPath);
  return {
    fs: tempFs, path: `/${name}`,
    toTarget: () => move(tempHost, targetHost),
    fromTarget: () => move(targetHost, tempHost),
  };
}
