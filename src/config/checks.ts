/**
 * Rules that tie several keys together, checked at load like the per-key rules so that one error
 * names every bad key (SFTPGo checks these when the services start; we refuse before anything
 * starts). The defender and rate limiter rules are INVENTORY §4.13/§4.14; the core's own
 * validators call the same functions, so there is one rule table.
 */
import { stat } from 'node:fs/promises';
import type { FieldProblem } from '../util/errors.js';
import { isPlainObject, type Tree } from './merge.js';
import type { DefenderConfig, RateLimiterConfig } from './types.js';

/** Protocol names a rate limiter may name (SFTPGo's `rateLimiterProtocolValues`). */
export const RATE_LIMITER_PROTOCOLS: readonly string[] = ['SSH', 'FTP', 'DAV', 'HTTP'];

/** Hooks SFTPGo's provider checks at start: a program path must be absolute and must exist. */
export const PROVIDER_HOOKS = [
  'data_provider.external_auth_hook', 'data_provider.pre_login_hook', 'data_provider.post_login_hook',
  'data_provider.check_password_hook',
] as const;

/** True when a rate limiter is on: SFTPGo's `isEnabled` (average > 0 and at least one protocol). */
export function rateLimiterEnabled(c: RateLimiterConfig): boolean {
  return c.average > 0 && c.protocols.length > 0;
}

/** §4.14 rules of an enabled limiter; `at` prefixes the field names. */
export function rateLimiterProblems(c: RateLimiterConfig, at: string): FieldProblem[] {
  const p: FieldProblem[] = [];
  if (!rateLimiterEnabled(c)) return p;
  if (c.burst < 1) p.push({ field: `${at}.burst`, message: `must be >= 1, got ${c.burst}` });
  if (c.period < 100) p.push({ field: `${at}.period`, message: `must be >= 100 (milliseconds), got ${c.period}` });
  if (c.type !== 1 && c.type !== 2) p.push({ field: `${at}.type`, message: `must be 1 (global) or 2 (per source IP), got ${c.type}` });
  const bad = c.protocols.filter((x) => !RATE_LIMITER_PROTOCOLS.includes(x));
  if (bad.length) p.push({ field: `${at}.protocols`, message: `unknown protocols ${bad.join(', ')}; allowed: ${RATE_LIMITER_PROTOCOLS.join(', ')}` });
  if (c.type === 2 && (c.entries_soft_limit <= 0 || c.entries_hard_limit <= c.entries_soft_limit)) {
    p.push({ field: `${at}.entries_soft_limit`, message: 'must be > 0 and lower than entries_hard_limit' });
  }
  return p;
}

/** §4.13 rules of an enabled defender (SFTPGo validates only when it is enabled). */
export function defenderProblems(c: DefenderConfig, at: string): FieldProblem[] {
  const p: FieldProblem[] = [];
  if (!c.enabled) return p;
  for (const k of ['score_invalid', 'score_valid', 'score_limit_exceeded'] as const) {
    if (c[k] >= c.threshold) p.push({ field: `${at}.${k}`, message: `${k} ${c[k]} must be lower than threshold ${c.threshold}` });
  }
  for (const k of ['ban_time', 'ban_time_increment', 'observation_time'] as const) {
    if (c[k] <= 0) p.push({ field: `${at}.${k}`, message: `${k} must be greater than 0, got ${c[k]}` });
  }
  if (c.entries_soft_limit <= 0 || c.entries_hard_limit <= c.entries_soft_limit) {
    p.push({ field: `${at}.entries_soft_limit`, message: 'entries_soft_limit must be > 0 and lower than entries_hard_limit' });
  }
  return p;
}

/** Hook value rule: empty, an http(s) URL, or an absolute program path (SFTPGo: "http…" means URL). */
export function hookProblem(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  if (v.startsWith('http')) {
    let url: URL | undefined;
    try {
      url = new URL(v);
    } catch {
      url = undefined;
    }
    return url && (url.protocol === 'http:' || url.protocol === 'https:') ? undefined : `"${v}" is not a valid http(s) URL`;
  }
  return v.startsWith('/') ? undefined : `"${v}" must be an absolute program path or an http(s) URL`;
}

/**
 * The cross-key problems of a merged tree. Values of a wrong type were already reported by the
 * per-key validation, so each rule runs only on a section whose numbers and lists have their types.
 */
export function crossProblems(tree: Tree): FieldProblem[] {
  const common = tree.common;
  if (!isPlainObject(common)) return [];
  const out: FieldProblem[] = [];
  if (isPlainObject(common.defender) && numbersOk(common.defender)) {
    out.push(...defenderProblems(common.defender as unknown as DefenderConfig, 'common.defender'));
  }
  if (Array.isArray(common.rate_limiters)) {
    common.rate_limiters.forEach((rl, i) => {
      if (isPlainObject(rl) && numbersOk(rl) && Array.isArray(rl.protocols)) {
        out.push(...rateLimiterProblems(rl as unknown as RateLimiterConfig, `common.rate_limiters.${i}`));
      }
    });
  }
  return out;
}

function numbersOk(t: Tree): boolean {
  return Object.values(t).every((v) => typeof v !== 'number' || Number.isFinite(v));
}

/**
 * SFTPGo's provider start-up check: a provider hook given as a program must exist. Done at load,
 * for every command that loads the config, as SFTPGo does for every command that opens the provider.
 */
export async function providerHookFileProblems(tree: Tree): Promise<FieldProblem[]> {
  const dp = tree.data_provider;
  if (!isPlainObject(dp)) return [];
  const out: FieldProblem[] = [];
  for (const key of PROVIDER_HOOKS) {
    const v = dp[key.slice('data_provider.'.length)];
    if (typeof v !== 'string' || !v.startsWith('/')) continue;
    try {
      if (!(await stat(v)).isFile()) out.push({ field: key, message: `"${v}" is not a file` });
    } catch (err) {
      out.push({ field: key, message: `"${v}": ${(err as NodeJS.ErrnoException).code ?? 'cannot be read'}` });
    }
  }
  return out;
}
