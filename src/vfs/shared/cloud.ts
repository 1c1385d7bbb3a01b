/**
 * Helpers every cloud driver shares: classifying service errors by HTTP status, reading secrets
 * handed over by the core (already decrypted), and per-call deadlines combined with the caller's
 * AbortSignal (SFTPGo: 30 s for short operations, 300 s for copies).
 */
import { aborted, ErrorKind, failure, invalidInput, isSftpGoError, SftpGoError } from '../../util/errors.js';

/** Deadline of metadata calls (head, list, delete, markers). */
export const SHORT_TIMEOUT_MS = 30_000;
/** Deadline of server-side copies. */
export const LONG_TIMEOUT_MS = 300_000;

/** The caller's signal combined with a deadline. */
export function withDeadline(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/**
 * Settles with `p`, or rejects as soon as `signal` fires (for SDK calls that take no signal: the
 * request may still finish in the background, its outcome is then ignored).
 */
export async function raceSignal<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  signal.throwIfAborted();
  let onAbort!: () => void;
  const stop = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([p, stop]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    p.catch(() => undefined);
  }
}

/** Error kind of an HTTP status returned by a storage service. */
function kindOfStatus(status: number | undefined): ErrorKind {
  if (status === 404) return ErrorKind.NotFound;
  if (status === 401 || status === 403) return ErrorKind.PermissionDenied;
  if (status === 409 || status === 412) return ErrorKind.Conflict;
  if (status === 503) return ErrorKind.Unavailable;
  return ErrorKind.Failure;
}

/**
 * Converts a driver error to a protocol-neutral kind. `status` is the HTTP status the SDK reports;
 * the caller's abort wins over anything else (a deadline is a failure, not an abort).
 */
export function cloudError(err: unknown, status: number | undefined, what: string, signal?: AbortSignal): SftpGoError {
  if (isSftpGoError(err)) return err;
  if (signal?.aborted) return aborted('operation aborted', signal.reason);
  const name = (err as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError') return failure(`${what}: the storage service did not answer in time`, err);
  if (name === 'AbortError') return aborted('operation aborted', err);
  const detail = err instanceof Error ? err.message : String(err);
  // A missing bucket/container is a configuration problem, not a missing file.
  const code = (err as { code?: unknown } | undefined)?.code;
  if (name === 'NoSuchBucket' || code === 'ContainerNotFound' || (status === 404 && /bucket.*(not found|does not exist)/i.test(detail))) {
    return failure(`${what}: the bucket or container does not exist`, err);
  }
  const kind = kindOfStatus(status);
  return new SftpGoError(kind, kind === ErrorKind.NotFound ? 'no such file or directory' : `${what}: ${detail}`, { cause: err });
}

/**
 * The plaintext of a secret field: the core hands decrypted secrets over as strings (or as
 * `{status: "Plain", payload}`); anything still encrypted is a wiring error, reported clearly.
 */
export function secretText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  const s = value as { status?: string; payload?: string };
  if ((s.status === undefined || s.status === 'Plain') && typeof s.payload === 'string') return s.payload || undefined;
  if (s.status === undefined && !s.payload) return undefined;
  throw invalidInput(`${field}: the secret is not decrypted (status ${s.status ?? 'unknown'})`);
}

/** Megabytes (SFTPGo's unit for part sizes) to bytes, with 0 meaning `def`, checked against [min, max]. */
export function partSizeBytes(mb: number | undefined, def: number, min: number, max: number, field: string): number {
  const v = mb ?? 0;
  if (v === 0) return def * 1024 * 1024;
  if (!Number.isInteger(v) || v < min || v > max) throw invalidInput(`${field}: must be 0 or between ${min} and ${max} (MB), got ${v}`);
  return v * 1024 * 1024;
}

/** Upload concurrency: 0 means 2, at most 64 (SFTPGo's limits). */
export function concurrency(n: number | undefined, field: string): number {
  const v = n ?? 0;
  if (v === 0) return 2;
  if (!Number.isInteger(v) || v < 1 || v > 64) throw invalidInput(`${field}: must be between 0 and 64, got ${v}`);
  return v;
}
