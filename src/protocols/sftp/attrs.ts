/** SFTP v3 ATTRS encoding from FileInfo, and decoding of client attributes to SetStatAttrs. */
import type { FileInfo, SetStatAttrs } from '../../vfs/types.js';
import { AttrFlag, FileTypeBits } from './constants.js';
import type { PacketReader, PacketWriter } from './codec.js';

/** Permission field: type bits + POSIX mode bits, as `ls` and clients expect. */
export function modeWithType(info: FileInfo): number {
  const perm = info.mode & 0o7777;
  switch (info.type) {
    case 'dir': return FileTypeBits.IFDIR | perm;
    case 'symlink': return FileTypeBits.IFLNK | perm;
    default: return FileTypeBits.IFREG | perm;
  }
}

/** Writes the full attribute set we know for an entry. */
export function writeAttrs(w: PacketWriter, info: FileInfo): void {
  w.uint32(AttrFlag.SIZE | AttrFlag.UIDGID | AttrFlag.PERMISSIONS | AttrFlag.ACMODTIME);
  w.uint64(info.size);
  w.uint32(info.uid ?? 0).uint32(info.gid ?? 0);
  w.uint32(modeWithType(info));
  const mtime = Math.floor(info.mtime.getTime() / 1000);
  const atime = info.atime ? Math.floor(info.atime.getTime() / 1000) : mtime;
  w.uint32(atime).uint32(mtime);
}

/** Reads client attributes; extended pairs are skipped. */
export function readAttrs(r: PacketReader): SetStatAttrs {
  const flags = r.uint32();
  const attrs: SetStatAttrs = {};
  if (flags & AttrFlag.SIZE) attrs.size = r.uint64();
  if (flags & AttrFlag.UIDGID) {
    attrs.uid = r.uint32();
    attrs.gid = r.uint32();
  }
  if (flags & AttrFlag.PERMISSIONS) attrs.mode = r.uint32() & 0o7777;
  if (flags & AttrFlag.ACMODTIME) {
    attrs.atime = new Date(r.uint32() * 1000);
    attrs.mtime = new Date(r.uint32() * 1000);
  }
  if (flags & AttrFlag.EXTENDED) {
    const count = r.uint32();
    for (let i = 0; i < count; i++) {
      r.bytes();
      r.bytes();
    }
  }
  return attrs;
}

/**
 * SFTPGo applies one attribute group per request (INVENTORY §3.1): perms > uid/gid > times > size.
 * Returns that group only (empty when none).
 */
export function firstAttrGroup(attrs: SetStatAttrs): SetStatAttrs {
  if (attrs.mode !== undefined) return { mode: attrs.mode };
  if (attrs.uid !== undefined || attrs.gid !== undefined) return { uid: attrs.uid, gid: attrs.gid };
  if (attrs.atime !== undefined || attrs.mtime !== undefined) return { atime: attrs.atime, mtime: attrs.mtime };
  if (attrs.size !== undefined) return { size: attrs.size };
  return {};
}
