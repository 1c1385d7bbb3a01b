/** Helpers every backend uses to honour AbortSignal and to classify errors. */
import { aborted, toSftpGoError } from '../../util/errors.js';

/** Throws Aborted when the signal fired. Call before and after each I/O step. */
export function checkSignal(signal?: AbortSignal): void {
  if (signal?.aborted) throw aborted('operation aborted', signal.reason);
}

/** Runs `fn` between two signal checks and converts any error to an SftpGoError kind. */
export async function guarded<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  checkSignal(signal);
  let out: T;
  try {
    out = await fn();
  } catch (err) {
    throw toSftpGoError(err);
  }
  checkSignal(signal);
  return out;
}
