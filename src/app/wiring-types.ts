/**
 * The seams of `serve` that bind concrete implementations (logger, KMS, provider, data service,
 * core services, protocol servers). Production uses `wiring.ts`; tests pass fakes.
 */
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/types.js';
import type { Metrics } from '../core/types.js';
import type { ServicesStatusSource } from '../protocols/http/types.js';
import type { AppContext, BuildInfo } from './context.js';
import type { ManagedService } from './lifecycle.js';
import type { ServeFlags } from './serve.js';

export interface ServeWiring {
  createLogger(flags: ServeFlags, loaded: LoadedConfig): Logger;
  /** Builds the context (KMS, provider, data service, core with `metrics`); `close` releases it. */
  createContext(loaded: LoadedConfig, logger: Logger, metrics: Metrics, build: BuildInfo): Promise<{ ctx: AppContext; close(): Promise<void> }>;
  /** The enabled SFTP/FTP/WebDAV servers (not started). */
  protocolServers(ctx: AppContext): ManagedService[];
  /** Listener status for GET /api/v2/status. */
  servicesStatus?(ctx: AppContext, services: ManagedService[]): ServicesStatusSource;
}
