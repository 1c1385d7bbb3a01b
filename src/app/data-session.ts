/**
 * A data session for the admin tools (initprovider, revertprovider, dumpdata, loaddata, user,
 * quota scan): the configured provider, the validating data service and, for writers, the core
 * services that user actions and quota scans need. It works on the provider directly, without a
 * running server. On a file database (sqlite) a writer takes the provider's lock, so it is refused
 * while a server holds it; server databases (PostgreSQL, MySQL) take no lock: a tool writes beside
 * running nodes, as another node would.
 */
import type { Logger } from 'pino';
import type { Config, LoadedConfig } from '../config/types.js';
import { createCoreServices, type CoreServicesHandle } from '../core/index.js';
import { openProvider } from '../dataprovider/registry.js';
import { DataService as DataServiceImpl } from '../dataprovider/service.js';
import type { DataService } from '../dataprovider/service-types.js';
import type { DataProvider } from '../dataprovider/types.js';
import { Kms } from '../kms/index.js';
import { failure, notSupported } from '../util/errors.js';

/** What a tool works with. */
export interface DataSession {
  config: Config;
  configDir: string;
  logger: Logger;
  provider: DataProvider;
  data: DataService;
  /** Core services (quota scans, hooks); present for writing sessions only. */
  core?: CoreServicesHandle;
  /** Waits for user action hooks, flushes pending writes and releases the provider. */
  close(): Promise<void>;
}

/** How to open a session. */
export interface DataSessionOptions {
  /** Changes data: takes the provider lock (file databases) and builds the core. */
  write: boolean;
  /**
   * "auto" (default): create/migrate the schema when `update_mode` is 0, as `serve` does, else
   * require an initialized schema. "none": leave the schema alone (initprovider, revertprovider).
   */
  schema?: 'auto' | 'none';
  /**
   * Accept a provider whose data lives only in the process (memory): for schema tools, where it
   * has nothing to do (initprovider says "up to date", revertprovider says "not supported").
   */
  allowVolatile?: boolean;
}

/** Opens the configured provider for a tool; refuses providers whose data would not outlive the tool. */
export async function openDataSession(loaded: LoadedConfig, logger: Logger, opts: DataSessionOptions): Promise<DataSession> {
  const { config, configDir } = loaded;
  const kms = await Kms.fromConfig(config.kms, configDir);
  const provider = await openProvider(config.data_provider, configDir, { readOnly: !opts.write });
  try {
    if (!provider.persistent && !opts.allowVolatile) {
      throw notSupported(`not supported: the "${provider.driver}" data provider keeps its data inside the running server only; use its REST API`);
    }
    if ((opts.schema ?? 'auto') === 'auto') await checkSchema(provider, config, opts.write);
    return await buildSession(loaded, logger, provider, kms, opts.write);
  } catch (err) {
    await provider.close().catch(() => undefined);
    throw err;
  }
}

async function checkSchema(provider: DataProvider, config: Config, write: boolean): Promise<void> {
  if (write && config.data_provider.update_mode === 0) {
    await provider.initialize();
    return;
  }
  if ((await provider.schemaVersion()) === 0) {
    throw failure(`the "${provider.driver}" data provider is not initialized: run "sftpgo initprovider" first`);
  }
}

async function buildSession(loaded: LoadedConfig, logger: Logger, provider: DataProvider, kms: Kms, write: boolean): Promise<DataSession> {
  const { config, configDir } = loaded;
  const pending = new Set<Promise<void>>();
  const late: { core?: CoreServicesHandle } = {};
  const data: DataService = new DataServiceImpl({
    provider, config: config.data_provider, kms,
    onUserAction: (action, user) => {
      const run = late.core?.hooks.userActions.run(action, data.redactUser(user));
      if (run) {
        pending.add(run);
        void run.finally(() => pending.delete(run));
      }
    },
  });
  late.core = write ? await createCoreServices({ config, configDir, logger, provider, data }) : undefined;
  return {
    config, configDir, logger, provider, data, core: late.core,
    async close() {
      await Promise.all([...pending]);
      await late.core?.close();
      await provider.close();
    },
  };
}

/** Runs `fn` in a session and always closes it. */
export async function withDataSession<T>(
  loaded: LoadedConfig, logger: Logger, opts: DataSessionOptions, fn: (s: DataSession) => Promise<T>,
): Promise<T> {
  const session = await openDataSession(loaded, logger, opts);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
