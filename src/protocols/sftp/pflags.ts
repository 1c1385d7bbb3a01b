/**
 * SFTP open flags → what the core understands. ssh2's flagsToString returns null for
 * WRITE|CREAT without TRUNC (what scp in SFTP mode sends), so we map them here ourselves.
 */
import { constants as fsc } from 'node:fs';
import type { UploadMode } from '../../core/types.js';
import { OpenFlag } from './constants.js';

/** How an OPEN is served. */
export type OpenPlan =
  | { kind: 'download' }
  | { kind: 'upload'; mode: UploadMode; read: boolean; exclusive: boolean; openFlags: number };

/** OS open flags equivalent to the SFTP pflags (reported to the pre-upload hook). */
export function osOpenFlags(pflags: number): number {
  const rw = pflags & OpenFlag.READ && pflags & OpenFlag.WRITE ? fsc.O_RDWR : pflags & OpenFlag.WRITE ? fsc.O_WRONLY : fsc.O_RDONLY;
  let flags = rw;
  if (pflags & OpenFlag.APPEND) flags |= fsc.O_APPEND;
  if (pflags & OpenFlag.CREAT) flags |= fsc.O_CREAT;
  if (pflags & OpenFlag.TRUNC) flags |= fsc.O_TRUNC;
  if (pflags & OpenFlag.EXCL) flags |= fsc.O_EXCL;
  return flags;
}

/**
 * Read-only opens are downloads. Writes: TRUNC → truncate; APPEND → append; neither → resume
 * (INVENTORY §3.1: an existing file opened without TRUNC keeps its content; reput relies on it).
 */
export function planOpen(pflags: number): OpenPlan {
  if (!(pflags & (OpenFlag.WRITE | OpenFlag.APPEND))) return { kind: 'download' };
  const mode: UploadMode = pflags & OpenFlag.TRUNC ? 'truncate' : pflags & OpenFlag.APPEND ? 'append' : 'resume';
  return {
    kind: 'upload',
    mode,
    read: !!(pflags & OpenFlag.READ),
    exclusive: !!(pflags & OpenFlag.EXCL),
    openFlags: osOpenFlags(pflags),
  };
}
