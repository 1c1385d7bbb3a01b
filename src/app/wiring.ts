/**
 * Production wiring of `serve`: logger from the log flags, KMS, data provider and data service,
 * core services with the telemetry metrics, and the enabled protocol servers. Parts that have not
 * landed yet fail start-up with a clear "not supported yet" error instead of pretending to run.
 */
import { createCoreServices, type CoreServicesHandle } from '../core/index.js';
import type { DataService } from '../dataprovider/service-types.js';
import type { DataProvider } from '../dataprovider/types.js';
import type { Logger } from 'pino';
import type { Config, LoadedConfig } from '../config/types.js';
import type { Metrics } from '../core/types.js';
import type { FsRegistry } from '../vfs/registry.js';
import { Kms } from '../kms/index.js';
import { openProvider } from '../dataprovider/registry.js';
import { DataService as DataServiceImpl, type UserActionListener } from '../dataprovider/service.js';
import { createLogger } from '../logger/index.js';
import type { AppContext, BuildInfo } from './context.js';
import { createProtocolServers } from './protocol-servers.js';
import { servicesStatusFromConfig } from './status.js';
import type { ServeWiring } from './wiring-types.js';

/** Provider + data service; user actions reach the core's hook runner once it exists (it needs the data service first). */
async function openData(config: Config, configDir: string, kms: Kms, onUserAction: UserActionListener): Promise<{ provider: DataProvider; data: DataService }> {
  const provider = await openProvider(config.data_provider, configDir);
  const data = new DataServiceImpl({ provider, config: config.data_provider, kms, onUserAction });
  return { provider, data };
}

/** Test seams of the production context: a storage registry (e.g. a gated backend). */
export interface ContextOptions {
  fsRegistry?: FsRegistry;
}

/**
 * The production context, in SFTPGo's order: KMS, data provider and data service, then the core
 * services (which need the data service). `close` releases core, then provider.
 */
export async function buildAppContext(
  loaded: LoadedConfig, logger: Logger, metrics: Metrics, build: BuildInfo, opts: ContextOptions = {},
): Promise<{ ctx: AppContext; core: CoreServicesHandle; close(): Promise<void> }> {
  const { config, configDir } = loaded;
  const kms = await Kms.fromConfig(config.kms, configDir);
  const late: { fire?: UserActionListener } = {};
  const { provider, data } = await openData(config, configDir, kms, (action, user) => late.fire?.(action, user));
  const core = await createCoreServices({ config, configDir, logger, provider, data, metrics, fsRegistry: opts.fsRegistry, openSecret: (s) => kms.decrypt(s) })
    .catch(async (err: unknown) => {
      await provider.close().catch(() => undefined);
      throw err;
    });
  late.fire = (action, user) => void core.hooks.userActions.run(action, data.redactUser(user));
  const ctx: AppContext = { config, configDir, logger, build, provider, data, core };
  return {
    ctx,
    core,
    async close() {
      await core.close();
      await provider.close();
    },
  };
}

export const defaultWiring: ServeWiring = {
  createLogger(flags, loaded: LoadedConfig) {
    return createLogger({
      verbose: flags.logVerbose, filePath: flags.logFilePath, configDir: loaded.configDir, maxSizeMB: flags.logMaxSize,
      maxBackups: flags.logMaxBackups, maxAgeDays: flags.logMaxAge, compress: flags.logCompress,
    });
  },
  createContext: (loaded, logger, metrics, build) => buildAppContext(loaded, logger, metrics, build),
  protocolServers: createProtocolServers,
  servicesStatus: (ctx, services) => servicesStatusFromConfig(ctx.config, services),
};
