/**
 * Headers of a rate-limited HTTP or WebDAV answer (INVENTORY §3.5, §3.6): 429 with `Retry-After`
 * in whole seconds and `X-Retry-In` as a Go duration string, both computed as SFTPGo does from the
 * limiter's wait plus 499999999 ns, so `Retry-After` is the wait rounded to the nearest second
 * (never 0) and clients scripted against SFTPGo parse the same values.
 */

/** Nanoseconds SFTPGo adds to the wait before formatting both headers. */
const ROUNDING_NS = 499_999_999n;

/** `Retry-After` and `X-Retry-In` for a limiter wait of `retryAfterMs`. */
export function retryHeaders(retryAfterMs: number): { 'Retry-After': string; 'X-Retry-In': string } {
  const ns = BigInt(Math.max(0, Math.round(retryAfterMs * 1e6))) + ROUNDING_NS;
  return { 'Retry-After': String(Math.round(Number(ns) / 1e9)), 'X-Retry-In': goDuration(ns) };
}

/** Go's time.Duration.String(): "1.5s", "2m3.25s", "1h0m0.5s", "750.000001ms", "0s". */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  if (ns < 1000n) return `${ns}ns`;
  if (ns < 1_000_000n) return `${fraction(ns, 1000n)}µs`;
  if (ns < 1_000_000_000n) return `${fraction(ns, 1_000_000n)}ms`;
  const h = ns / 3_600_000_000_000n;
  const m = (ns / 60_000_000_000n) % 60n;
  const s = `${fraction(ns % 60_000_000_000n, 1_000_000_000n)}s`;
  if (h > 0n) return `${h}h${m}m${s}`;
  return m > 0n ? `${m}m${s}` : s;
}

/** `value / unit` in decimal, trailing zeros of the fraction dropped. */
function fraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}
