/** SFTP v3 wire constants (draft-ietf-secsh-filexfer-02) and the OpenSSH extensions we serve. */

/** SSH_FXP_* packet types. */
export const PacketType = {
  INIT: 1, VERSION: 2, OPEN: 3, CLOSE: 4, READ: 5, WRITE: 6, LSTAT: 7, FSTAT: 8, SETSTAT: 9,
  FSETSTAT: 10, OPENDIR: 11, READDIR: 12, REMOVE: 13, MKDIR: 14, RMDIR: 15, REALPATH: 16,
  STAT: 17, RENAME: 18, READLINK: 19, SYMLINK: 20,
  STATUS: 101, HANDLE: 102, DATA: 103, NAME: 104, ATTRS: 105,
  EXTENDED: 200, EXTENDED_REPLY: 201,
} as const;

/** SSH_FX_* status codes of SFTP v3. */
export const Status = {
  OK: 0, EOF: 1, NO_SUCH_FILE: 2, PERMISSION_DENIED: 3, FAILURE: 4, BAD_MESSAGE: 5,
  NO_CONNECTION: 6, CONNECTION_LOST: 7, OP_UNSUPPORTED: 8,
} as const;
/** One of the Status values. */
export type StatusCode = (typeof Status)[keyof typeof Status];

/** SSH_FXF_* open flags. */
export const OpenFlag = { READ: 0x01, WRITE: 0x02, APPEND: 0x04, CREAT: 0x08, TRUNC: 0x10, EXCL: 0x20 } as const;

/** SSH_FILEXFER_ATTR_* flags. */
export const AttrFlag = { SIZE: 0x01, UIDGID: 0x02, PERMISSIONS: 0x04, ACMODTIME: 0x08, EXTENDED: 0x80000000 } as const;

/** S_IF* file type bits carried in the permissions field. */
export const FileTypeBits = { IFMT: 0o170000, IFDIR: 0o040000, IFREG: 0o100000, IFLNK: 0o120000 } as const;

/** Extensions advertised in VERSION; OpenSSH enables df, ln, posix rename, fsync and limits from these. */
export const EXTENSIONS: readonly [string, string][] = [
  ['posix-rename@openssh.com', '1'],
  ['statvfs@openssh.com', '2'],
  ['fstatvfs@openssh.com', '2'],
  ['hardlink@openssh.com', '1'],
  ['fsync@openssh.com', '1'],
  ['limits@openssh.com', '1'],
];

/** Largest packet we accept; OpenSSH's own server uses 256 KiB. */
export const MAX_PACKET = 256 * 1024;
/** Largest READ/WRITE payload announced in limits@openssh.com (room left for headers). */
export const MAX_IO = MAX_PACKET - 1024;
/** Entries per READDIR reply (OpenSSH sends 100 too). */
export const READDIR_BATCH = 100;
/** Open handles per session. */
export const MAX_HANDLES = 1024;
