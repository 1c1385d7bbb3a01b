/**
 * The one place where errors become WebDAV/HTTP statuses (DESIGN "Errors"). Core kinds map through
 * STATUS_BY_KIND; WebDAV-only outcomes the handlers decide themselves (405 on MKCOL over an
 * existing resource, 409 for a missing parent, 412 for a false If header, 423 for a lock held by
 * another token...) are thrown as `DavError` with their status.
 */
import { ErrorKind, errorKindOf, isSftpGoError, RateLimitedError } from '../../util/errors.js';

/** HTTP status of each core error kind. */
export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  [ErrorKind.NotFound]: 404,
  // Creating over an existing resource: RFC 4918 §9.3.1 (MKCOL) uses 405.
  [ErrorKind.Exists]: 405,
  [ErrorKind.NotEmpty]: 409,
  [ErrorKind.PermissionDenied]: 403,
  // RFC 4918 §11.5: the server cannot store the representation.
  [ErrorKind.QuotaExceeded]: 507,
  [ErrorKind.NotSupported]: 501,
  [ErrorKind.InvalidInput]: 400,
  [ErrorKind.Conflict]: 409,
  [ErrorKind.Aborted]: 500,
  [ErrorKind.Failure]: 500,
  [ErrorKind.AuthFailed]: 401,
  [ErrorKind.Unavailable]: 503,
};

/** A WebDAV outcome with its own status; `condition` names an RFC 4918 §16 precondition element. */
export class DavError extends Error {
  constructor(readonly status: number, message: string, readonly condition?: string) {
    super(message);
    this.name = 'DavError';
  }
}

/** HTTP status for any thrown value (Node errno errors are classified by errorKindOf). */
export function statusFor(err: unknown): number {
  if (err instanceof DavError) return err.status;
  // The gate's rate limiters (INVENTORY §3.5): 429, with Retry-After added by sendError.
  if (err instanceof RateLimitedError) return 429;
  return STATUS_BY_KIND[errorKindOf(err)];
}

/** Message safe to show a client: our own messages only, never a backend's path or stack. */
export function clientMessage(err: unknown): string {
  if (err instanceof DavError || isSftpGoError(err)) return err.message;
  return REASONS[statusFor(err)] ?? 'failure';
}

/** Reason phrases of the statuses we send (multistatus status lines, plain bodies). */
export const REASONS: Readonly<Record<number, string>> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 207: 'Multi-Status', 206: 'Partial Content', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 412: 'Precondition Failed', 413: 'Content Too Large', 415: 'Unsupported Media Type', 416: 'Range Not Satisfiable',
  423: 'Locked', 424: 'Failed Dependency', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 501: 'Not Implemented',
  502: 'Bad Gateway', 503: 'Service Unavailable', 507: 'Insufficient Storage',
};

/** `HTTP/1.1 200 OK` as used inside multistatus bodies. */
export function statusLine(code: number): string {
  return `HTTP/1.1 ${code} ${REASONS[code] ?? ''}`.trimEnd();
}
