/**
 * In-memory, per-node defender (INVENTORY §4.13): scores failed logins per IP inside an observation
 * window, bans an IP whose score reaches the threshold, extends a ban on every attempt from a
 * banned IP, and keeps memory bounded (soft/hard entry limits). An instance, never a global.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Logger } from 'pino';
import { defenderProblems } from '../../config/checks.js';
import type { DefenderConfig } from '../../config/types.js';
import type { Defender, DefenderEntry, DefenderEvent } from '../types.js';
import { IpList, parseIp } from './iplist.js';

const MINUTE = 60_000;

export interface DefenderOptions {
  config: DefenderConfig;
  /** Base for relative safelist/blocklist paths. */
  configDir: string;
  logger: Logger;
  /** Clock in ms (injected by tests). */
  now?: () => number;
}

interface ScoreEvent {
  at: number;
  score: number;
}

/** Defender id of an IP: hex of the IP string (as SFTPGo's REST API). */
export function defenderId(ip: string): string {
  return Buffer.from(ip, 'utf8').toString('hex');
}

/** The IP an id stands for; undefined when the id is not valid hex of an IP. */
export function ipFromDefenderId(id: string): string | undefined {
  if (!/^([0-9a-fA-F]{2})+$/.test(id)) return undefined;
  const ip = Buffer.from(id, 'hex').toString('utf8');
  return parseIp(ip) ? ip : undefined;
}

/** Checks the §4.13 validation rules (the config loader's rule table); returns every problem. */
export function validateDefenderConfig(c: DefenderConfig): string[] {
  return defenderProblems({ ...c, enabled: true }, 'defender').map((p) => p.message);
}

/** Reads a `{addresses, networks}` JSON list; an empty path gives an empty list. */
async function loadList(file: string, configDir: string, logger: Logger): Promise<IpList> {
  if (!file) return new IpList();
  const path = isAbsolute(file) ? file : resolve(configDir, file);
  const data = JSON.parse(await readFile(path, 'utf8')) as { addresses?: string[]; networks?: string[] };
  return new IpList(data.addresses ?? [], data.networks ?? [], (e) =>
    logger.warn({ sender: 'defender', file: path, entry: e }, 'invalid entry in defender list ignored'));
}

/** The memory defender. When `config.enabled` is false every call is a no-op. */
export class MemoryDefender implements Defender {
  readonly enabled: boolean;
  private readonly cfg: DefenderConfig;
  private readonly now: () => number;
  private readonly hosts = new Map<string, ScoreEvent[]>();
  private readonly banned = new Map<string, number>();
  private safelist = new IpList();
  private blocklist = new IpList();

  private constructor(private readonly opts: DefenderOptions) {
    this.cfg = opts.config;
    this.enabled = opts.config.enabled;
    this.now = opts.now ?? Date.now;
  }

  /** Validates the config and loads the lists; throws InvalidInput-style errors listing every problem. */
  static async create(opts: DefenderOptions): Promise<MemoryDefender> {
    const d = new MemoryDefender(opts);
    if (d.enabled) {
      const problems = validateDefenderConfig(opts.config);
      if (problems.length) throw new Error(`invalid defender configuration: ${problems.join('; ')}`);
      await d.reload();
    }
    return d;
  }

  async reload(): Promise<void> {
    if (!this.enabled) return;
    const { configDir, logger } = this.opts;
    this.safelist = await loadList(this.cfg.safelist_file, configDir, logger);
    this.blocklist = await loadList(this.cfg.blocklist_file, configDir, logger);
  }

  isBanned(ip: string, opts: { extend?: boolean } = {}): boolean {
    if (!this.enabled) return false;
    if (this.blocklist.has(ip)) return true;
    const until = this.banned.get(ip);
    if (until === undefined) return false;
    const now = this.now();
    if (until <= now) {
      this.banned.delete(ip);
      return false;
    }
    if (opts.extend === false) return true;
    // Every attempt from a banned host extends its ban (§4.13).
    const increment = Math.max(1, Math.floor((this.cfg.ban_time * this.cfg.ban_time_increment) / 100));
    this.banned.set(ip, until + increment * MINUTE);
    return true;
  }

  addEvent(ip: string, event: DefenderEvent): void {
    if (!this.enabled || this.safelist.has(ip)) return;
    const now = this.now();
    const until = this.banned.get(ip);
    if (until !== undefined && until > now) return;
    const windowStart = now - this.cfg.observation_time * MINUTE;
    const events = (this.hosts.get(ip) ?? []).filter((e) => e.at > windowStart);
    events.push({ at: now, score: this.scoreOf(event) });
    const total = events.reduce((s, e) => s + e.score, 0);
    if (total >= this.cfg.threshold) {
      this.hosts.delete(ip);
      this.banned.set(ip, now + this.cfg.ban_time * MINUTE);
      this.opts.logger.info({ sender: 'defender', client_ip: ip, score: total }, 'host banned');
      this.trimBanned();
      return;
    }
    this.hosts.delete(ip); // re-insert so Map order tracks the last event (oldest first)
    this.hosts.set(ip, events);
    this.trimHosts();
  }

  private scoreOf(event: DefenderEvent): number {
    switch (event) {
      case 'login_failed': return this.cfg.score_valid;
      case 'limit_exceeded': return this.cfg.score_limit_exceeded;
      default: return this.cfg.score_invalid;
    }
  }

  private trimHosts(): void {
    if (this.hosts.size <= this.cfg.entries_hard_limit) return;
    for (const ip of this.hosts.keys()) {
      if (this.hosts.size <= this.cfg.entries_soft_limit) break;
      this.hosts.delete(ip);
    }
  }

  private trimBanned(): void {
    if (this.banned.size <= this.cfg.entries_hard_limit) return;
    const now = this.now();
    for (const [ip, until] of this.banned) if (until <= now) this.banned.delete(ip);
    const byExpiry = [...this.banned.entries()].sort((a, b) => a[1] - b[1]);
    for (const [ip] of byExpiry) {
      if (this.banned.size <= this.cfg.entries_soft_limit) break;
      this.banned.delete(ip);
    }
  }

  score(ip: string): number {
    const windowStart = this.now() - this.cfg.observation_time * MINUTE;
    return (this.hosts.get(ip) ?? []).filter((e) => e.at > windowStart).reduce((s, e) => s + e.score, 0);
  }

  banTime(ip: string): Date | undefined {
    const until = this.banned.get(ip);
    return until !== undefined && until > this.now() ? new Date(until) : undefined;
  }

  private entry(ip: string): DefenderEntry | undefined {
    const ban = this.banTime(ip);
    if (ban) return { id: defenderId(ip), ip, banTime: ban };
    const score = this.score(ip);
    return score > 0 ? { id: defenderId(ip), ip, score } : undefined;
  }

  list(): DefenderEntry[] {
    if (!this.enabled) return [];
    const ips = new Set([...this.banned.keys(), ...this.hosts.keys()]);
    return [...ips].map((ip) => this.entry(ip)).filter((e): e is DefenderEntry => e !== undefined);
  }

  get(id: string): DefenderEntry | undefined {
    const ip = ipFromDefenderId(id);
    return ip && this.enabled ? this.entry(ip) : undefined;
  }

  unban(ip: string): boolean {
    const a = this.banned.delete(ip);
    const b = this.hosts.delete(ip);
    return a || b;
  }
}
