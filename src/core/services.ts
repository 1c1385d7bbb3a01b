/**
 * Builds the core services of one context: defender, rate limiters, gate, hooks (with the outgoing
 * HTTP client), the connection registry, the login pipeline and quota scans. Everything is an
 * instance; `close()` releases timers, agents and connections.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import type { DataProvider } from '../dataprovider/types.js';
import type { DataService } from '../dataprovider/service-types.js';
import { createFsRegistry, type FsRegistry, type SecretOpener } from '../vfs/registry.js';
import { AuthServiceImpl } from './auth/service.js';
import { ensureUserRoots } from './auth/fsroots.js';
import { ConnectionRegistryImpl } from './connections.js';
import { MemoryDefender } from './defender/defender.js';
import { Gate } from './gate/gate.js';
import { createHooks, runPostConnectHook, type Hooks, type HookTimeouts } from './hooks/index.js';
import { NodeHttpClient } from './httpclient/client.js';
import { QuotaScans } from './quotascan/registry.js';
import { RateLimiters } from './ratelimit/ratelimiter.js';
import { noopMetrics, type Metrics } from './types.js';

export interface CoreServicesOptions {
  config: Config;
  /** Base of relative paths (defender lists, CA files). */
  configDir: string;
  logger: Logger;
  provider: DataProvider;
  data: DataService;
  metrics?: Metrics;
  /** Backend registry; a new one with the built-in backends when absent. */
  fsRegistry?: FsRegistry;
  /** Opens backend secrets (crypt passphrase, SFTP password/key...) for that new registry: the KMS's decrypt. */
  openSecret?: SecretOpener;
  /** §5 timeouts override (tests use small ones). */
  hookTimeouts?: Partial<HookTimeouts>;
  /** Clock for the defender, rate limiters and login rules (tests). */
  now?: () => number;
  /** Idle checker period (tests). */
  idleCheckIntervalMs?: number;
}

/** Core services (structurally the app's `CoreServices`) plus the pieces other layers wire to (HTTP API, CLI, protocols). */
export interface CoreServicesHandle {
  auth: AuthServiceImpl;
  metrics: Metrics;
  fsRegistry: FsRegistry;
  hooks: Hooks;
  gate: Gate;
  defender: MemoryDefender;
  connections: ConnectionRegistryImpl;
  quotaScans: QuotaScans;
  limiters: RateLimiters;
  http: NodeHttpClient;
  /** Closes connections (no grace), waits for scans, releases HTTP agents. */
  close(): Promise<void>;
}

export async function createCoreServices(opts: CoreServicesOptions): Promise<CoreServicesHandle> {
  const { config, configDir, logger, provider, data } = opts;
  const metrics = opts.metrics ?? noopMetrics;
  const fsRegistry = opts.fsRegistry ?? createFsRegistry({ openSecret: opts.openSecret, metrics });
  const http = new NodeHttpClient(config.http, configDir);
  const hooks = createHooks(config, http, logger, opts.hookTimeouts);
  const defender = await MemoryDefender.create({ config: config.common.defender, configDir, logger, now: opts.now });
  const limiters = new RateLimiters(config.common.rate_limiters, { defender, now: opts.now });
  const connections = new ConnectionRegistryImpl({
    config, logger, provider, fsRegistry, metrics, hooks: hooks.actions, idleCheckIntervalMs: opts.idleCheckIntervalMs,
  });
  const postConnectHook = config.common.post_connect_hook;
  const gate = new Gate({
    config: config.common, defender, limiters, logger, establishedConnections: () => connections.size,
    postConnect: postConnectHook ? (ip, protocol) => runPostConnectHook(hooks.deps, postConnectHook, ip, protocol) : undefined,
  });
  const tempPath = config.common.temp_path || undefined;
  const auth = new AuthServiceImpl({
    config, logger, provider, data, defender, metrics, hookDeps: hooks.deps, now: opts.now,
    countUser: (u) => connections.countUser(u),
    ensureRoots: (user) => ensureUserRoots(user, fsRegistry, tempPath),
  });
  const quotaScans = new QuotaScans({
    provider, fsRegistry, logger, trackQuota: config.data_provider.track_quota, tempPath,
    onReset: (kind, name) => connections.quota.resetPending(kind, name),
  });
  return {
    gate, auth, connections, defender, quotaScans, metrics, fsRegistry, hooks, limiters, http,
    async close() {
      await connections.shutdown(0);
      await quotaScans.idle();
      http.close();
    },
  };
}
