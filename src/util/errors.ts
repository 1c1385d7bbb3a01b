/**
 * Protocol-neutral error kinds with stable codes. Every layer below the protocols throws these;
 * each protocol has exactly one module mapping a kind to its own status (SFTP status, FTP reply,
 * HTTP status). Lives in `util` because backends and providers throw them too.
 */

export const ErrorKind = {
  NotFound: 'NotFound',
  Exists: 'Exists',
  NotEmpty: 'NotEmpty',
  PermissionDenied: 'PermissionDenied',
  QuotaExceeded: 'QuotaExceeded',
  NotSupported: 'NotSupported',
  InvalidInput: 'InvalidInput',
  Conflict: 'Conflict',
  Aborted: 'Aborted',
  Failure: 'Failure',
  /** Credentials rejected or login not allowed (maps to 401 / 530 / auth failure). */
  AuthFailed: 'AuthFailed',
  /** Service or dependency not available (maps to 503 / 421). */
  Unavailable: 'Unavailable',
} as const;
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

export const ALL_ERROR_KINDS: readonly ErrorKind[] = Object.values(ErrorKind);

/** One problem with one field of an input record. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Base class of every error the product throws on purpose. `kind` is what protocols map. */
export class SftpGoError extends Error {
  readonly kind: ErrorKind;
  /** Field-level problems for InvalidInput (every problem, not only the first). */
  readonly problems: readonly FieldProblem[];

  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown; problems?: FieldProblem[] }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = `SftpGoError(${kind})`;
    this.kind = kind;
    this.problems = options?.problems ?? [];
  }
}

export const notFound = (msg: string, cause?: unknown) => new SftpGoError(ErrorKind.NotFound, msg, { cause });
export const exists = (msg: string, cause?: unknown) => new SftpGoError(ErrorKind.Exists, msg, { cause });
export const notEmpty = (msg: string, cause?: unknown) => new SftpGoError(ErrorKind.NotEmpty, msg, { cause });
export const permissionDenied = (msg = 'permission denied', cause?: unknown) =>
  new SftpGoError(ErrorKind.PermissionDenied, msg, { cause });
export const quotaExceeded = (msg = 'denying write due to space limit') => new SftpGoError(ErrorKind.QuotaExceeded, msg);
export const notSupported = (msg: string) =>
  new SftpGoError(ErrorKind.NotSupported, msg.startsWith('not supported') ? msg : `not supported: ${msg}`);
export const invalidInput = (msg: string, problems?: FieldProblem[]) =>
  new SftpGoError(ErrorKind.InvalidInput, msg, { problems });
export const conflict = (msg: string) => new SftpGoError(ErrorKind.Conflict, msg);
export const aborted = (msg = 'operation aborted', cause?: unknown) => new SftpGoError(ErrorKind.Aborted, msg, { cause });
export const failure = (msg: string, cause?: unknown) => new SftpGoError(ErrorKind.Failure, msg, { cause });
export const authFailed = (msg = 'authentication failed', cause?: unknown) =>
  new SftpGoError(ErrorKind.AuthFailed, msg, { cause });
export const unavailable = (msg: string, cause?: unknown) => new SftpGoError(ErrorKind.Unavailable, msg, { cause });

/**
 * A rate limiter refused the client (INVENTORY §4.14). Kind Unavailable for protocols that only
 * close the connection; HTTP and WebDAV answer 429 with `Retry-After` from `retryAfterMs`.
 */
export class RateLimitedError extends SftpGoError {
  constructor(message: string, readonly retryAfterMs: number) {
    super(ErrorKind.Unavailable, message);
    this.name = 'RateLimitedError';
  }
}

/** Builds an InvalidInput error listing every field problem in its message. */
export function validationError(problems: FieldProblem[]): SftpGoError {
  const text = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  return invalidInput(`validation error: ${text}`, problems);
}

export function isSftpGoError(err: unknown): err is SftpGoError {
  return err instanceof SftpGoError;
}

/** The kind of any thrown value; Node system errors (ENOENT...) are classified too. */
export function errorKindOf(err: unknown): ErrorKind {
  if (err instanceof SftpGoError) return err.kind;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return ErrorKind.NotFound;
    case 'EEXIST':
      return ErrorKind.Exists;
    case 'ENOTEMPTY':
      return ErrorKind.NotEmpty;
    case 'EACCES':
    case 'EPERM':
      return ErrorKind.PermissionDenied;
    case 'EDQUOT':
    case 'ENOSPC':
      return ErrorKind.QuotaExceeded;
    case 'ENOTSUP':
    case 'EOPNOTSUPP':
    case 'ENOSYS':
    case 'EXDEV':
      return ErrorKind.NotSupported;
    case 'ABORT_ERR':
      return ErrorKind.Aborted;
    default:
      return ErrorKind.Failure;
  }
}

/** Converts any thrown value to an SftpGoError, keeping the original as cause. */
export function toSftpGoError(err: unknown, fallbackMessage = 'failure'): SftpGoError {
  if (err instanceof SftpGoError) return err;
  const kind = errorKindOf(err);
  const msg = kind === ErrorKind.Failure ? fallbackMessage : defaultMessage(kind);
  return new SftpGoError(kind, msg, { cause: err });
}

function defaultMessage(kind: ErrorKind): string {
  switch (kind) {
    case ErrorKind.NotFound: return 'no such file or directory';
    case ErrorKind.Exists: return 'file already exists';
    case ErrorKind.NotEmpty: return 'directory not empty';
    case ErrorKind.PermissionDenied: return 'permission denied';
    case ErrorKind.QuotaExceeded: return 'denying write due to space limit';
    case ErrorKind.NotSupported: return 'operation unsupported';
    case ErrorKind.Aborted: return 'operation aborted';
    default: return 'failure';
  }
}
