/**
 * Per-transfer bandwidth limit (INVENTORY §4.10): after n bytes a transfer waits until
 * elapsed >= n / 1024 / limit seconds. Each transfer has its own throttle.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Clock and sleep, injectable so the arithmetic is testable without timing. */
export interface ThrottleClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const realClock: ThrottleClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : undefined),
};

export class Throttle {
  private bytes = 0;
  private readonly start: number;

  /** `kbps` 0 = unlimited. */
  constructor(private readonly kbps: number, private readonly clock: ThrottleClock = realClock) {
    this.start = clock.now();
  }

  /** Accounts `n` bytes and sleeps as long as the transfer is ahead of its limit. */
  async consume(n: number, signal?: AbortSignal): Promise<void> {
    if (this.kbps <= 0) return;
    this.bytes += n;
    const dueMs = (this.bytes / 1024 / this.kbps) * 1000;
    const wait = this.start + dueMs - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait, signal);
  }
}
