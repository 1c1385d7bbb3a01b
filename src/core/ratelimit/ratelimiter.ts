/**
 * Token-bucket rate limiters (INVENTORY §4.14). A request reserves a token; when the bucket is empty
 * it waits for the token up to a max delay, beyond which it is rejected. Type 1 is one global bucket,
 * type 2 one bucket per source IP (bounded by soft/hard limits, least recently used dropped first).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { rateLimiterProblems } from '../../config/checks.js';
import type { RateLimiterConfig } from '../../config/types.js';
import type { Defender } from '../types.js';

/** Validates one limiter (§4.14 rules, the config loader's rule table); returns every problem. */
export function validateRateLimiterConfig(c: RateLimiterConfig, index: number): string[] {
  return rateLimiterProblems(c, `rate_limiters[${index}]`).map((p) => `${p.field}: ${p.message}`);
}

/** One bucket: `rate` tokens per ms, capacity `burst`. Tokens may go negative (reserved future tokens). */
class Bucket {
  tokens: number;
  last: number;

  constructor(private readonly rate: number, private readonly burst: number, now: number) {
    this.tokens = burst;
    this.last = now;
  }

  /** Reserves a token unless its wait (ms) exceeds `maxDelay` (then nothing is reserved). */
  reserve(now: number, maxDelay: number): { wait: number; ok: boolean } {
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.rate);
    this.last = now;
    const after = this.tokens - 1;
    const wait = after >= 0 ? 0 : -after / this.rate;
    if (wait > maxDelay) return { wait, ok: false };
    this.tokens = after;
    return { wait, ok: true };
  }
}

/** Outcome of a token request: when refused, `retryAfterMs` is the wait the rate would need. */
export interface RateDecision {
  allowed: boolean;
  retryAfterMs: number;
}

const ALLOWED: RateDecision = Object.freeze({ allowed: true, retryAfterMs: 0 });

export interface RateLimiterDeps {
  defender?: Defender;
  /** Clock in ms (tests). */
  now?: () => number;
  /** Sleep (tests may make it instant). */
  sleep?: (ms: number) => Promise<void>;
}

/** One configured limiter. */
export class RateLimiter {
  private readonly rate: number;
  readonly maxDelay: number;
  private readonly global?: Bucket;
  private readonly perSource = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly config: RateLimiterConfig, private readonly deps: RateLimiterDeps = {}) {
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => sleep(ms).then(() => undefined));
    this.rate = config.average / config.period; // tokens per ms
    this.maxDelay = maxDelayMs(config);
    if (config.type === 1) this.global = new Bucket(this.rate, config.burst, this.now());
  }

  get enabled(): boolean {
    return this.config.average > 0 && this.config.protocols.length > 0;
  }

  appliesTo(protocol: string): boolean {
    return this.enabled && this.config.protocols.includes(protocol);
  }

  /**
   * Waits for a token for `source`. Refuses when the wait would exceed the max delay (and reports a
   * defender event for per-IP limiters with generate_defender_events).
   */
  async wait(source: string): Promise<RateDecision> {
    const { wait, ok } = this.bucketFor(source).reserve(this.now(), this.maxDelay);
    if (!ok) {
      if (this.config.type === 2 && this.config.generate_defender_events) this.deps.defender?.addEvent(source, 'limit_exceeded');
      return { allowed: false, retryAfterMs: wait };
    }
    if (wait > 0) await this.sleep(wait);
    return ALLOWED;
  }

  private bucketFor(source: string): Bucket {
    if (this.global) return this.global;
    let b = this.perSource.get(source);
    if (b) {
      this.perSource.delete(source); // keep Map order = least recently used first
    } else {
      b = new Bucket(this.rate, this.config.burst, this.now());
      this.trim();
    }
    this.perSource.set(source, b);
    return b;
  }

  private trim(): void {
    if (this.perSource.size < this.config.entries_hard_limit) return;
    for (const key of this.perSource.keys()) {
      if (this.perSource.size < this.config.entries_soft_limit) break;
      this.perSource.delete(key);
    }
  }

  /** Number of per-source buckets held (tests, memory bound). */
  get size(): number {
    return this.perSource.size;
  }
}

/** min(10 s, period/2 when the rate is below 1/s, else 1/(2·rate)). */
export function maxDelayMs(c: RateLimiterConfig): number {
  const perSecond = (c.average * 1000) / c.period;
  const d = perSecond < 1 ? c.period / 2 : 1000 / (2 * perSecond);
  return Math.min(10_000, d);
}

/** Every configured limiter; `allow` applies those matching a protocol, in order. */
export class RateLimiters {
  readonly limiters: RateLimiter[];

  constructor(configs: readonly RateLimiterConfig[], deps: RateLimiterDeps = {}) {
    const problems = configs.flatMap((c, i) => validateRateLimiterConfig(c, i));
    if (problems.length) throw new Error(`invalid rate limiters configuration: ${problems.join('; ')}`);
    this.limiters = configs.map((c) => new RateLimiter(c, deps)).filter((l) => l.enabled);
  }

  /** Allowed when every limiter for `protocol` granted a token to `ip`; else the first refusal. */
  async allow(protocol: string, ip: string): Promise<RateDecision> {
    for (const l of this.limiters) {
      if (!l.appliesTo(protocol)) continue;
      const d = await l.wait(ip);
      if (!d.allowed) return d;
    }
    return ALLOWED;
  }
}
