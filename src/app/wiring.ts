/**
 * Production wiring of `serve`: logger from the log flags, KMS, data provider and data service,
 * core services with the telemetry metrics, and the enabled protocol servers. Parts that have not
 * landed yet fail start-up with a clear "not supported yet" error instead of pretending to run.
 */
import { createCoreServices } from '../core/index.js';
import type { DataService } from '../dataprovider/service-types.js';
import type { DataProvider } from '../dataprovider/types.js';
import type { Config, LoadedConfig } from '../config/types.js';
import { Kms } from '../kms/index.js';
import { openProvider } from '../dataprovider/registry.js';
import { DataService as DataServiceImpl, type UserActionListener } from '../dataprovider/service.js';
import { createLogger } from '../logger/index.js';
import { createFsRegistry } from '../vfs/registry.js';
import type { AppContext } from './context.js';
import { createProtocolServers } from './protocol-servers.js';
import { servicesStatusFromConfig } from './status.js';
import type { ServeWiring } from './wiring-types.js';

/** Provider + data service; user actions reach the core's hook runner once it exists (it needs the data service first). */
async function openData(config: Config, configDir: string, kms: Kms, onUserAction: UserActionListener): Promise<{ provider: DataProvider; data: DataService }> {
  const provider = await openProvider(config.data_provider, configDir);
  const data = new DataServiceImpl({ provider, config: config.data_provider, kms, onUserAction });
  return { provider, data };
}

export const defaultWiring: ServeWiring = {
  createLogger(flags, loaded: LoadedConfig) {
    return createLogger({
      verbose: flags.logVerbose, filePath: flags.logFilePath, configDir: loaded.configDir, maxSizeMB: flags.logMaxSize,
      maxBackups: flags.logMaxBackups, maxAgeDays: flags.logMaxAge, compress: flags.logCompress,
    });
  },
  async createContext(loaded, logger, metrics, build) {
    const { config, configDir } = loaded;
    const kms = await Kms.fromConfig(config.kms, configDir);
    const late: { fire?: UserActionListener } = {};
    const { provider, data } = await openData(config, configDir, kms, (action, user) => late.fire?.(action, user));
    // Backends get their secrets (S3 keys, GCS credentials, Azure keys...) decrypted by the KMS.
    const fsRegistry = createFsRegistry({ decryptSecret: (s) => kms.decrypt(s) });
    const core = await createCoreServices({ config, configDir, logger, provider, data, metrics, fsRegistry });
    late.fire = (action, user) => void core.hooks.userActions.run(action, data.redactUser(user));
    const ctx: AppContext = { config, configDir, logger, build, provider, data, core };
    return {
      ctx,
      async close() {
        await core.close();
        await provider.close();
      },
    };
  },
  protocolServers: createProtocolServers,
  servicesStatus: (ctx, services) => servicesStatusFromConfig(ctx.config, services),
};
