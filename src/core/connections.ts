/**
 * Live connections on this node (INVENTORY §4.11): max_sessions at open, the idle checker
 * (never closing a connection with an active transfer or a busy protocol), admin close, shutdown.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import type { ConnectionStatus } from '../dataprovider/models.js';
import type { DataProvider } from '../dataprovider/types.js';
import type { FsRegistry } from '../vfs/registry.js';
import type { ActionHooks, Connection, ConnectionRegistry, Metrics, OpenConnectionRequest } from './types.js';
import { permissionDenied } from '../util/errors.js';
import { ConnectionImpl } from './connection.js';
import { QuotaTracker } from './quota.js';
import type { ThrottleClock } from './throttle.js';

/** What the registry is built from (services.ts assembles it). */
export interface ConnectionDeps {
  config: Config;
  logger: Logger;
  provider: DataProvider;
  fsRegistry: FsRegistry;
  metrics: Metrics;
  hooks?: ActionHooks;
  /** How often the idle checker runs; SFTPGo uses 3 minutes. */
  idleCheckIntervalMs?: number;
  /** Clock of the bandwidth throttles (tests assert computed waits with it). */
  clock?: ThrottleClock;
}

const IDLE_CHECK_MS = 3 * 60 * 1000;

/** The node's registry of live connections (one per app context). */
export class ConnectionRegistryImpl implements ConnectionRegistry {
  private readonly conns = new Map<string, ConnectionImpl>();
  /** Per-node quota mirror and in-flight reservations shared by every connection. */
  readonly quota: QuotaTracker;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: ConnectionDeps) {
    this.quota = new QuotaTracker(deps.provider, deps.config.data_provider.track_quota, {
      delaySeconds: deps.config.data_provider.delayed_quota_update,
      onError: (err, owner) => deps.logger.warn({ sender: 'quota', owner, err }, 'delayed quota update failed, retrying later'),
    });
    if (deps.config.common.idle_timeout > 0) {
      this.timer = setInterval(() => void this.checkIdle(), deps.idleCheckIntervalMs ?? IDLE_CHECK_MS);
      this.timer.unref();
    }
  }

  async open(req: OpenConnectionRequest): Promise<Connection> {
    const max = req.user.max_sessions ?? 0;
    if (max > 0 && this.countUser(req.user.username) >= max) {
      throw permissionDenied(`too many open sessions: ${max}`);
    }
    const id = this.uniqueId(req);
    const conn = new ConnectionImpl({
      id, protocol: req.protocol, user: req.user, remote: req.remote, clientVersion: req.clientVersion ?? '',
      config: this.deps.config, metrics: this.deps.metrics, hooks: this.deps.hooks, fsRegistry: this.deps.fsRegistry,
      quota: this.quota, onClose: req.onClose, isBusy: req.isBusy,
      // SFTPGo's connection lines: sender = the protocol, plus the connection id.
      logger: this.deps.logger.child({ sender: req.protocol, protocol: req.protocol, connection_id: id }), opLogger: this.deps.logger,
      onClosed: (c) => this.forget(c), clock: this.deps.clock,
    });
    this.conns.set(id, conn);
    this.deps.metrics.connectionsChanged(this.conns.size);
    return conn;
  }

  /** Number of open connections. */
  get size(): number {
    return this.conns.size;
  }

  list(): ConnectionStatus[] {
    return [...this.conns.values()].map((c) => c.status());
  }

  get(id: string): Connection | undefined {
    return this.conns.get(id);
  }

  async close(id: string): Promise<boolean> {
    const c = this.conns.get(id);
    if (!c) return false;
    await c.close('closed by admin');
    return true;
  }

  async closeUser(username: string): Promise<number> {
    const mine = [...this.conns.values()].filter((c) => c.user.username === username);
    await Promise.all(mine.map((c) => c.close('user updated or deleted')));
    return mine.length;
  }

  /** See {@link ConnectionRegistry.quotaReset}. */
  quotaReset(kind: 'user' | 'folder', name: string): void {
    this.quota.resetPending(kind, name);
  }

  countUser(username: string): number {
    let n = 0;
    for (const c of this.conns.values()) if (c.user.username === username) n++;
    return n;
  }

  /** Closes connections idle longer than common.idle_timeout minutes, sparing busy ones. Returns how many. */
  async checkIdle(now = Date.now()): Promise<number> {
    const limit = this.deps.config.common.idle_timeout * 60 * 1000;
    if (limit <= 0) return 0;
    const idle = [...this.conns.values()].filter((c) => !c.isBusy() && now - c.lastActivity > limit);
    await Promise.all(idle.map((c) => c.close('idle timeout')));
    return idle.length;
  }

  async shutdown(graceMs: number): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && [...this.conns.values()].some((c) => c.transfers.size > 0)) {
      await sleep(Math.min(100, Math.max(1, deadline - Date.now())));
    }
    await Promise.all([...this.conns.values()].map((c) => c.close('server shutdown')));
    await this.quota.stop();
  }

  private forget(c: ConnectionImpl): void {
    if (this.conns.get(c.id) === c) this.conns.delete(c.id);
    this.deps.metrics.connectionsChanged(this.conns.size);
  }

  private uniqueId(req: OpenConnectionRequest): string {
    const base = req.idHint ? `${req.protocol}_${req.idHint}` : `${req.protocol}_${randomBytes(10).toString('hex')}`;
    let id = base;
    for (let i = 1; this.conns.has(id); i++) id = `${base}_${i}`;
    return id;
  }
}
