/**
 * FTP reply codes (RFC 959 §4.2, RFC 2228, RFC 4217) and the one place mapping core error kinds
 * to replies (INVENTORY §4.17). Only valid codes exist here: a full passive range is 425, a server
 * going away 421, never a made-up `400`.
 */
import { ErrorKind, toSftpGoError } from '../../util/errors.js';

/** Reply codes used by the server, named by meaning. */
export const Reply = {
  FileStatusOk: 150,
  CommandOk: 200,
  NotNeeded: 202,
  SystemStatus: 211,
  DirectoryStatus: 212,
  FileStatus: 213,
  Help: 214,
  SystemType: 215,
  ServiceReady: 220,
  Closing: 221,
  AbortOk: 225,
  TransferComplete: 226,
  PassiveMode: 227,
  ExtendedPassiveMode: 229,
  LoggedIn: 230,
  AuthOk: 234,
  FileActionOk: 250,
  /** MD5 reply (draft-twine-ftpmd5). */
  Md5: 251,
  PathCreated: 257,
  NeedPassword: 331,
  PendingFurtherInfo: 350,
  ServiceUnavailable: 421,
  CannotOpenData: 425,
  TransferAborted: 426,
  FileBusy: 450,
  LocalError: 451,
  Syntax: 500,
  SyntaxParams: 501,
  NotImplemented: 502,
  BadSequence: 503,
  NotImplementedParam: 504,
  NotLoggedIn: 530,
  DataProtection: 521,
  NetworkProtocol: 522,
  PolicyDenied: 534,
  ProtNotSupported: 536,
  FileUnavailable: 550,
  StorageExceeded: 552,
  NameNotAllowed: 553,
} as const;
export type ReplyCode = (typeof Reply)[keyof typeof Reply];

/** Every ErrorKind has a reply (the unit test walks ALL_ERROR_KINDS). */
export const FTP_REPLY_BY_KIND: Readonly<Record<ErrorKind, ReplyCode>> = {
  NotFound: Reply.FileUnavailable,
  Exists: Reply.FileUnavailable,
  NotEmpty: Reply.FileUnavailable,
  PermissionDenied: Reply.FileUnavailable,
  QuotaExceeded: Reply.StorageExceeded,
  NotSupported: Reply.NotImplementedParam,
  InvalidInput: Reply.SyntaxParams,
  Conflict: Reply.FileBusy,
  Aborted: Reply.TransferAborted,
  Failure: Reply.FileUnavailable,
  AuthFailed: Reply.NotLoggedIn,
  Unavailable: Reply.ServiceUnavailable,
};

/** Reply code and client-visible text for any thrown value; core messages carry virtual paths only. */
export function ftpErrorReply(err: unknown): { code: ReplyCode; message: string } {
  const e = toSftpGoError(err);
  return { code: FTP_REPLY_BY_KIND[e.kind], message: e.message };
}

/** Makes a text safe for one reply line: CR/LF would let a file name inject replies. */
export function replyText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** RFC 959 §7 "quote doubling" for pathnames in 257 replies. */
export function quotePath(vpath: string): string {
  return `"${replyText(vpath).replace(/"/g, '""')}"`;
}

/** Formats a reply: one line, or a multi-line reply whose inner lines start with a space (RFC 959 §4.2). */
export function formatReply(code: number, text: string | readonly string[]): string {
  const lines = (typeof text === 'string' ? [text] : text).map(replyText);
  if (lines.length <= 1) return `${code} ${lines[0] ?? ''}\r\n`;
  const last = lines[lines.length - 1]!;
  const middle = lines.slice(1, -1).map((l) => (l.startsWith(' ') ? l : ` ${l}`));
  return [`${code}-${lines[0]}`, ...middle, `${code} ${last}`].join('\r\n') + '\r\n';
}
