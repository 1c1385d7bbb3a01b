/**
 * Per-transfer bandwidth limit (INVENTORY §4.10) as a token bucket: tokens are bytes, refilled at
 * `kbps` KiB/s, capacity one second of traffic, starting empty. While a transfer runs steadily this
 * is SFTPGo's rule (after n bytes, elapsed >= n / 1024 / limit seconds); unlike a pure elapsed-time
 * rule, a transfer that paused cannot then burst more than one second's worth at full speed.
 * Each transfer has its own bucket, so concurrent transfers are throttled individually.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Clock and sleep, injectable so the arithmetic is testable without timing. */
export interface ThrottleClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The wall clock. */
export const realClock: ThrottleClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : undefined),
};

/** How much traffic an idle transfer may save up, in milliseconds of its rate. */
const BURST_MS = 1000;

export class Throttle {
  /** Bytes per millisecond; 0 = unlimited. */
  private readonly rate: number;
  private readonly capacity: number;
  private tokens = 0;
  private last: number;

  /** `kbps` 0 = unlimited. */
  constructor(kbps: number, private readonly clock: ThrottleClock = realClock) {
    this.rate = kbps > 0 ? (kbps * 1024) / 1000 : 0;
    this.capacity = this.rate * BURST_MS;
    this.last = clock.now();
  }

  /**
   * Takes `n` bytes from the bucket and returns the wait in ms it needs (0 when enough tokens were
   * saved). The bucket may go negative: the debt is what the caller must sleep.
   */
  reserve(n: number): number {
    if (this.rate === 0) return 0;
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.rate);
    this.last = now;
    this.tokens -= n;
    return this.tokens < 0 ? -this.tokens / this.rate : 0;
  }

  /** Accounts `n` bytes and sleeps as long as the transfer is ahead of its limit. */
  async consume(n: number, signal?: AbortSignal): Promise<void> {
    const wait = this.reserve(n);
    if (wait > 0) await this.clock.sleep(wait, signal);
  }
}
