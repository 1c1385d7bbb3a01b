/**
 * Start/stop of the listening services (INVENTORY §1.1): every enabled service starts in parallel;
 * one failing listener stops the ones already up and fails the whole start. Stop runs in reverse
 * order, each service letting active transfers finish up to the grace period.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';

/** What every protocol server and the telemetry server expose to the app. */
export interface ManagedService {
  readonly name: string;
  start(opts?: { ephemeral?: boolean }): Promise<void>;
  stop(graceMs: number): Promise<void>;
  addresses(): unknown[];
  /** SIGHUP reload (TLS material, auth files), when supported. */
  reload?(): Promise<void>;
}

/** True when SFTP, FTP or WebDAV has a binding with a port (HTTP and telemetry alone do not count). */
export function anyFileServiceConfigured(config: Config): boolean {
  const on = (bindings: readonly { port: number }[]) => bindings.some((b) => b.port > 0);
  return on(config.sftpd.bindings) || on(config.ftpd.bindings) || on(config.webdavd.bindings);
}

/** Human form of one listening address, whatever shape a server reports. */
export function formatAddress(a: unknown): string {
  if (typeof a === 'string') return a;
  if (a && typeof a === 'object') {
    const o = a as { url?: unknown; address?: unknown; port?: unknown };
    if (typeof o.url === 'string') return o.url;
    if (typeof o.address === 'string') {
      const host = o.address.includes(':') ? `[${o.address}]` : o.address;
      return typeof o.port === 'number' && o.port > 0 ? `${host}:${o.port}` : o.address;
    }
  }
  return String(a);
}

export class ServiceSet {
  private readonly started: ManagedService[] = [];

  constructor(private readonly services: ManagedService[], private readonly logger: Logger) {}

  /** Starts all in parallel; on any failure stops the started ones and rethrows the first error. */
  async startAll(opts: { ephemeral?: boolean } = {}): Promise<void> {
    const results = await Promise.allSettled(this.services.map(async (s) => {
      await s.start(opts);
      this.started.push(s);
      this.logger.info({ service: s.name, addresses: s.addresses().map(formatAddress) }, `${s.name} listening`);
    }));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await this.stopAll(0);
      throw failed.reason;
    }
  }

  /** Stops in reverse order of the configured list. */
  async stopAll(graceMs: number): Promise<void> {
    const order = this.services.filter((s) => this.started.includes(s)).reverse();
    this.started.length = 0;
    for (const s of order) {
      await s.stop(graceMs).catch((err: unknown) => this.logger.warn({ err, service: s.name }, 'stop failed'));
    }
  }

  /** SIGHUP: reloads every running service that supports it. */
  async reloadAll(): Promise<void> {
    for (const s of this.started) {
      if (s.reload) await s.reload().catch((err: unknown) => this.logger.error({ err, service: s.name }, 'reload failed'));
    }
  }

  /** `name: address, address` lines of the running services, in configured order (they start in parallel). */
  describe(): string[] {
    return this.services.filter((s) => this.started.includes(s)).map((s) => `${s.name}: ${s.addresses().map(formatAddress).join(', ')}`);
  }
}
