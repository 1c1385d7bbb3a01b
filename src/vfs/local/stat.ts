/** Conversion of Node stats to the port's FileInfo. */
import type { Stats } from 'node:fs';
import { FileType, type FileInfo } from '../types.js';

/** FileInfo for a Node Stats (lstat or stat), `name` being the base name. */
export function toFileInfo(name: string, st: Stats, linkTarget?: string): FileInfo {
  const type = st.isSymbolicLink() ? FileType.Symlink : st.isDirectory() ? FileType.Dir : st.isFile() ? FileType.File : FileType.Other;
  const info: FileInfo = {
    name,
    type,
    size: st.size,
    mode: st.mode & 0o7777,
    mtime: st.mtime,
    atime: st.atime,
    uid: st.uid,
    gid: st.gid,
  };
  if (st.nlink > 1 && type === FileType.File) info.links = st.nlink;
  if (linkTarget !== undefined) info.linkTarget = linkTarget;
  return info;
}
