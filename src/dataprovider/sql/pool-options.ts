/**
 * Pool sizing and timeouts shared by the server providers. SFTPGo recycles connections after
 * 240 s and bounds queries with 10 s (60 s for long operations such as migrations and dumps): one
 * 60 s bound covers both here, so a hung server fails a request instead of holding it forever.
 */

/** Connections when `pool_size` is 0: the drivers' usual default, well under a server's limit. */
export const DEFAULT_POOL_SIZE = 10;
/** An idle connection is closed after this long. */
export const POOL_IDLE_MS = 30_000;
/** A connection is replaced after this many seconds, as SFTPGo does (ConnMaxLifetime). */
export const POOL_LIFETIME_S = 240;
/** One statement may take this long. */
export const QUERY_TIMEOUT_MS = 60_000;

/** Max open connections for `pool_size`. */
export function poolLimit(poolSize: number): number {
  return Number.isInteger(poolSize) && poolSize > 0 ? poolSize : DEFAULT_POOL_SIZE;
}
