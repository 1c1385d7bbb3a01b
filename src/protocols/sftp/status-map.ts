/** The one place mapping core error kinds to SFTP status codes and messages (INVENTORY §4.17). */
import { ErrorKind, toSftpGoError } from '../../util/errors.js';
import { Status, type StatusCode } from './constants.js';

/** Every ErrorKind has an entry (the unit test walks ALL_ERROR_KINDS). */
export const SFTP_STATUS_BY_KIND: Readonly<Record<ErrorKind, StatusCode>> = {
  NotFound: Status.NO_SUCH_FILE,
  Exists: Status.FAILURE,
  NotEmpty: Status.FAILURE,
  PermissionDenied: Status.PERMISSION_DENIED,
  QuotaExceeded: Status.FAILURE,
  NotSupported: Status.OP_UNSUPPORTED,
  InvalidInput: Status.BAD_MESSAGE,
  Conflict: Status.FAILURE,
  Aborted: Status.CONNECTION_LOST,
  Failure: Status.FAILURE,
  AuthFailed: Status.PERMISSION_DENIED,
  Unavailable: Status.FAILURE,
};

/** Status code and client-visible message for any thrown value (no host paths leak: messages come from the core). */
export function sftpStatusOf(err: unknown): { code: StatusCode; message: string } {
  const e = toSftpGoError(err);
  return { code: SFTP_STATUS_BY_KIND[e.kind], message: e.message };
}

/**
 * Text for `<command>: <path> <error>` lines of SSH commands and SCP (INVENTORY §4.17); an
 * unsupported operation says what is not supported.
 */
export function commandErrorText(err: unknown): string {
  const e = toSftpGoError(err);
  switch (e.kind) {
    case ErrorKind.PermissionDenied: return 'permission denied';
    case ErrorKind.NotFound: return 'no such file or directory';
    case ErrorKind.QuotaExceeded: return 'denying write due to space limit';
    case ErrorKind.NotSupported: return e.message || 'operation unsupported';
    default: return e.message || 'failure';
  }
}
