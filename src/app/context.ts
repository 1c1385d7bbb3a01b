/**
 * The one context `app` builds at start and passes down (no module-level mutable state, so tests
 * start whole servers on port 0, in parallel). Protocols receive it; core services are built from it.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import type { DataProvider } from '../dataprovider/types.js';
import type { DataService } from '../dataprovider/service-types.js';
import type {
  AuthService, ConnectionGate, ConnectionRegistry, Defender, Metrics, QuotaScanRegistry,
} from '../core/types.js';

export interface BuildInfo {
  version: string;
  commit: string;
  buildDate: string;
  /** Build features for `--version` and the API ("+metrics", "-mysql"...); a default list when absent. */
  features?: string[];
}

/** Core services shared by every protocol. */
export interface CoreServices {
  gate: ConnectionGate;
  auth: AuthService;
  connections: ConnectionRegistry;
  defender: Defender;
  quotaScans: QuotaScanRegistry;
  metrics: Metrics;
}

export interface AppContext {
  config: Config;
  /** Absolute config dir; base of every relative path in config. */
  configDir: string;
  logger: Logger;
  build: BuildInfo;
  provider: DataProvider;
  /** Validated CRUD over the provider (what the API and CLI use). */
  data: DataService;
  core: CoreServices;
}
