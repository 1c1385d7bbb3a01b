/**
 * The one place where core error kinds become WebDAV/HTTP statuses (DESIGN "Errors").
 * Conflict is used by the lock manager and maps to 423 Locked; Exists to 405 when creating
 * collections and 412 when Overwrite forbids replacing (callers pick those cases explicitly).
 */
import { ErrorKind, errorKindOf } from '../../util/errors.js';

export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  [ErrorKind.NotFound]: 404,
  [ErrorKind.Exists]: 405,
  [ErrorKind.NotEmpty]: 409,
  [ErrorKind.PermissionDenied]: 403,
  [ErrorKind.QuotaExceeded]: 507,
  [ErrorKind.NotSupported]: 501,
  [ErrorKind.InvalidInput]: 400,
  [ErrorKind.Conflict]: 423,
  [ErrorKind.Aborted]: 500,
  [ErrorKind.Failure]: 500,
  [ErrorKind.AuthFailed]: 401,
  [ErrorKind.Unavailable]: 503,
};

/** HTTP status for any thrown value (Node errno errors are classified by errorKindOf). */
export function statusFor(err: unknown): number {
  return STATUS_BY_KIND[errorKindOf(err)];
}

/** Message safe to show a client: our own messages only, never a backend's path. */
export function clientMessage(err: unknown): string {
  const kind = errorKindOf(err);
  if ((kind === ErrorKind.Failure || kind === ErrorKind.Aborted) && err instanceof Error && err.name.startsWith('SftpGoError')) {
    return err.message;
  }
  if (err instanceof Error && err.name.startsWith('SftpGoError')) return err.message;
  return kind === ErrorKind.Failure ? 'failure' : kind;
}

export const REASONS: Readonly<Record<number, string>> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  412: 'Precondition Failed', 423: 'Locked', 424: 'Failed Dependency', 507: 'Insufficient Storage',
};

/** `HTTP/1.1 200 OK` as used inside multistatus bodies. */
export function statusLine(code: number): string {
  return `HTTP/1.1 ${code} ${REASONS[code] ?? ''}`.trimEnd();
}
