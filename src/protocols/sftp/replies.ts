/** Builders for SFTP reply packets. */
import type { VirtualFileInfo } from '../../core/types.js';
import type { StatFs } from '../../vfs/types.js';
import { writeAttrs } from './attrs.js';
import { PacketWriter } from './codec.js';
import { EXTENSIONS, PacketType, MAX_HANDLES, MAX_IO, MAX_PACKET } from './constants.js';
import { longName } from './longname.js';

/** VERSION 3 with the extensions we serve. */
export function versionPacket(): Buffer {
  const w = new PacketWriter(PacketType.VERSION).uint32(3);
  for (const [name, data] of EXTENSIONS) w.string(name).string(data);
  return w.finish();
}

/** STATUS with a message (English, empty language tag). */
export function statusPacket(id: number, code: number, message: string): Buffer {
  return new PacketWriter(PacketType.STATUS, 32 + message.length * 3).uint32(id).uint32(code).string(message).string('').finish();
}

/** HANDLE for an OPEN/OPENDIR. */
export function handlePacket(id: number, handle: Buffer): Buffer {
  return new PacketWriter(PacketType.HANDLE, 16).uint32(id).bytes(handle).finish();
}

/** ATTRS for STAT/LSTAT/FSTAT. */
export function attrsPacket(id: number, info: VirtualFileInfo): Buffer {
  const w = new PacketWriter(PacketType.ATTRS, 64).uint32(id);
  writeAttrs(w, info);
  return w.finish();
}

/** NAME reply for READDIR: names with long names and attributes. */
export function namesPacket(id: number, entries: VirtualFileInfo[]): Buffer {
  const w = new PacketWriter(PacketType.NAME, 128 * entries.length + 16).uint32(id).uint32(entries.length);
  const now = new Date();
  for (const e of entries) {
    w.string(e.name).string(longName(e, now));
    writeAttrs(w, e);
  }
  return w.finish();
}

/** NAME reply with one path and empty attributes (REALPATH, READLINK). */
export function singleNamePacket(id: number, name: string): Buffer {
  return new PacketWriter(PacketType.NAME, 32 + name.length * 3).uint32(id).uint32(1).string(name).string(name).uint32(0).finish();
}

/**
 * DATA reply built around a buffer the caller reads into: 13 header bytes are reserved at the
 * front so the file data is never copied.
 */
export function dataBuffer(len: number): Buffer {
  return Buffer.allocUnsafe(13 + len);
}

/** Fills the DATA header in a buffer from dataBuffer() holding `n` bytes of data. */
export function finishData(buf: Buffer, id: number, n: number): Buffer {
  buf.writeUInt32BE(9 + n, 0);
  buf[4] = PacketType.DATA;
  buf.writeUInt32BE(id, 5);
  buf.writeUInt32BE(n, 9);
  return buf.subarray(0, 13 + n);
}

/** statvfs@openssh.com / fstatvfs@openssh.com reply. */
export function statvfsPacket(id: number, s: StatFs): Buffer {
  const w = new PacketWriter(PacketType.EXTENDED_REPLY, 100).uint32(id);
  for (const v of [s.blockSize, s.fragmentSize, s.blocks, s.blocksFree, s.blocksAvailable, s.files, s.filesFree, s.filesAvailable, 0, 0, s.nameMax]) {
    w.uint64(v);
  }
  return w.finish();
}

/** limits@openssh.com: OpenSSH sizes its requests from these. */
export function limitsPacket(id: number): Buffer {
  return new PacketWriter(PacketType.EXTENDED_REPLY, 48).uint32(id).uint64(MAX_PACKET).uint64(MAX_IO).uint64(MAX_IO).uint64(MAX_HANDLES).finish();
}
