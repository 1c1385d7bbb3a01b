/**
 * `sftpgo serve` (INVENTORY §1.1, §1.5): load config, refuse to run without a file service, build
 * the context, prepare the provider, import --loaddata-from, start every enabled listener in
 * parallel, print where each listens, run the startup hook, then wait for a signal: SIGINT/SIGTERM
 * stop in reverse order with a grace period for active transfers, SIGHUP reloads.
 */
import type { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import { loadConfig, type Config, type DeepPartial } from '../config/index.js';
import { createHttpServer, bindingEnabled } from '../protocols/http/server.js';
import type { ServicesStatusSource } from '../protocols/http/types.js';
import { PromMetrics } from '../protocols/telemetry/metrics.js';
import { createTelemetryServer, telemetryEnabled } from '../protocols/telemetry/server.js';
import type { AppContext, BuildInfo } from './context.js';
import { ServiceSet, anyFileServiceConfigured, type ManagedService } from './lifecycle.js';
import { loadInitialData, loadProviderDump, prepareProvider } from './provider-init.js';
import { installSignalHandlers } from './signals.js';
import { warnAboutHookPrograms } from './hook-warnings.js';
import { rotateLogFile } from '../logger/index.js';
import { runStartupHook } from './startup-hook.js';
import { embeddedSshCrypto } from '../util/sea-addon.js';
import { defaultWiring } from './wiring.js';
import type { ServeWiring } from './wiring-types.js';

/** `serve` flags (INVENTORY §1.1), already merged with their SFTPGO_* env forms by the CLI. */
export interface ServeFlags {
  configDir: string;
  configFile?: string;
  logFilePath?: string;
  logMaxSize?: number;
  logMaxBackups?: number;
  logMaxAge?: number;
  logCompress?: boolean;
  logVerbose?: boolean;
  loaddataFrom?: string;
  loaddataMode?: number;
  loaddataScan?: number;
  loaddataClean?: boolean;
  /** Highest-precedence config layer, above file and env (portable mode). */
  overrides?: DeepPartial<Config>;
}

export interface ServeRuntime {
  stdout: Writable;
  stderr: Writable;
  env?: NodeJS.ProcessEnv;
  build: BuildInfo;
  /** Where signals come from (process by default; tests pass an emitter). */
  signals?: EventEmitter;
  /** Bind every TCP listener on port 0 (tests). */
  ephemeral?: boolean;
  /** How long active transfers may run on shutdown; default 10 s. */
  graceMs?: number;
  /** Replaces the production wiring (tests). */
  wiring?: ServeWiring;
  /** Called once every listener is up (tests read addresses here). */
  onReady?: (services: ManagedService[]) => void;
}

const DEFAULT_GRACE_MS = 10_000;

/** Runs the daemon; resolves with the exit code once it has stopped. */
export async function runServe(runtime: ServeRuntime, flags: ServeFlags): Promise<number> {
  const fail = (msg: string) => { runtime.stderr.write(`${msg}\n`); return 1; };
  let loaded;
  try {
    loaded = await loadConfig({ configDir: flags.configDir, configFile: flags.configFile, env: runtime.env, overrides: flags.overrides });
  } catch (err) {
    return fail(`unable to load configuration: ${(err as Error).message}`);
  }
  if (!anyFileServiceConfigured(loaded.config)) return fail('no service configured, nothing to do');
  const wiring = runtime.wiring ?? defaultWiring;
  const metrics = new PromMetrics();
  let logger: AppContext['logger'];
  let built: { ctx: AppContext; close(): Promise<void> };
  try {
    logger = wiring.createLogger(flags, loaded);
    for (const w of loaded.warnings ?? []) logger.warn(w);
    await warnAboutHookPrograms(loaded.config, logger);
    logSshCrypto(logger);
    built = await wiring.createContext(loaded, logger, metrics, runtime.build);
  } catch (err) {
    return fail(`unable to initialize: ${(err as Error).message}`);
  }
  const { ctx } = built;
  try {
    await prepareProvider(ctx.provider, ctx.data, ctx.config, logger);
    metrics.providerAvailability(true);
    await loadInitialData({ from: flags.loaddataFrom ?? '', mode: flags.loaddataMode ?? 1, scan: flags.loaddataScan ?? 0, clean: flags.loaddataClean ?? false }, ctx.data, ctx.core, ctx.config, logger);
  } catch (err) {
    await built.close().catch(() => undefined);
    return fail(`unable to initialize the data provider: ${(err as Error).message}`);
  }
  let services: ManagedService[];
  let set: ServiceSet;
  try {
    // A configured protocol whose server is not built yet throws here ("not supported: ...").
    services = buildServices(ctx, wiring, metrics);
    set = new ServiceSet(services, logger);
    await set.startAll({ ephemeral: runtime.ephemeral });
  } catch (err) {
    await built.close().catch(() => undefined);
    return fail(`unable to start: ${(err as Error).message}`);
  }
  const stopAvailability = watchProviderAvailability(ctx, metrics);
  // Signal handlers go in before anything says "ready": a supervisor (or a test) that signals as
  // soon as it reads the addresses must reach our graceful stop, not the default kill.
  const stopped = waitForShutdown(runtime, set, ctx, async () => {
    stopAvailability();
    await built.close();
  }, logger);
  for (const line of set.describe()) runtime.stdout.write(`${line}\n`);
  runtime.onReady?.(services);
  void runStartupHook(ctx.config.common.startup_hook, logger, ctx);
  return stopped;
}

/** Says once, at debug, whether the executable's embedded ssh2 crypto binding is in use (LIBS.md: SSH CPU cost). */
function logSshCrypto(logger: AppContext['logger']): void {
  if (!embeddedSshCrypto) return;
  if (embeddedSshCrypto.ok) logger.debug('ssh2 native crypto binding (sshcrypto.node) loaded from the executable');
  else logger.debug({ reason: embeddedSshCrypto.reason }, 'ssh2 native crypto binding not loaded: SSH ciphers use node:crypto');
}

const AVAILABILITY_CHECK_MS = 60_000;

/** Keeps sftpgo_dataprovider_availability current (SFTPGo checks periodically too). */
function watchProviderAvailability(ctx: AppContext, metrics: PromMetrics): () => void {
  const timer = setInterval(() => {
    ctx.provider.checkAvailability().then(() => metrics.providerAvailability(true), (err: unknown) => {
      metrics.providerAvailability(false);
      ctx.logger.warn({ err }, 'data provider not available');
    });
  }, AVAILABILITY_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Protocol servers from the wiring, then HTTP and telemetry when configured. */
function buildServices(ctx: AppContext, wiring: ServeWiring, metrics: PromMetrics): ManagedService[] {
  const services = wiring.protocolServers(ctx);
  const status = (): ServicesStatusSource => wiring.servicesStatus?.(ctx, services) ?? {};
  if (ctx.config.httpd.bindings.some(bindingEnabled)) services.push(createHttpServer(ctx, { servicesStatus: status }));
  if (telemetryEnabled(ctx)) services.push(createTelemetryServer(ctx, metrics.registry));
  return services;
}

function waitForShutdown(runtime: ServeRuntime, set: ServiceSet, ctx: AppContext, close: () => Promise<void>, logger: AppContext['logger']): Promise<number> {
  const graceMs = runtime.graceMs ?? DEFAULT_GRACE_MS;
  return new Promise((resolve) => {
    const remove = installSignalHandlers({
      async shutdown(signal) {
        logger.info({ signal }, 'stopping services');
        await set.stopAll(graceMs);
        await ctx.core.connections.shutdown(graceMs).catch(() => undefined);
        await close().catch((err: unknown) => logger.warn({ err }, 'close failed'));
        remove();
        logger.info('stopped');
        resolve(0);
      },
      async reload() {
        logger.info('SIGHUP: reloading TLS material, auth files, defender lists and the provider dump file');
        await set.reloadAll();
        await loadProviderDump(ctx.provider, ctx.data, logger).catch((err: unknown) => logger.error({ err }, 'provider dump reload failed'));
        await ctx.core.defender.reload().catch((err: unknown) => logger.error({ err }, 'defender reload failed'));
      },
      async rotateLogs() {
        try {
          const rotated = await rotateLogFile(logger);
          logger.info({ rotated: rotated ?? null }, rotated ? 'SIGUSR1: log file rotated' : 'SIGUSR1: not logging to a file, nothing to rotate');
        } catch (err) {
          logger.error({ err }, 'log file rotation failed');
        }
      },
    }, runtime.signals ?? process);
  });
}
