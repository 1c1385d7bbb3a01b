/**
 * Data providers by driver name. A new provider is a folder and one line here. No module-level
 * mutable registry: `createProviderRegistry()` returns a fresh map, so tests can add fakes.
 */
import type { DataProviderConfig } from '../config/types.js';
import type { DataProvider, ProviderFactory } from './types.js';
import { createMemoryProvider } from './memory/index.js';
import { createSqliteProvider } from './sqljs/index.js';
import { notSupported } from '../util/errors.js';

export function createProviderRegistry(): Map<string, ProviderFactory> {
  return new Map<string, ProviderFactory>([
    ['memory', createMemoryProvider],
    ['sqlite', createSqliteProvider],
    // Server drivers load on first use (static import strings, so the bundler still sees them).
    ['postgresql', async (o) => (await import('./postgres/index.js')).createPostgresProvider(o)],
    // SFTPGo accepts `cockroachdb` as its own driver name; CockroachDB speaks the PostgreSQL wire
    // protocol and SQL dialect, so the PostgreSQL provider serves it.
    ['cockroachdb', async (o) => (await import('./postgres/index.js')).createPostgresProvider(o)],
    ['mysql', async (o) => (await import('./mysql/index.js')).createMysqlProvider(o)],
  ]);
}

/** Opens the configured provider; drivers SFTPGo has but this build lacks fail loudly. */
export async function openProvider(
  config: DataProviderConfig, configDir: string, opts: { readOnly?: boolean; registry?: Map<string, ProviderFactory> } = {},
): Promise<DataProvider> {
  const registry = opts.registry ?? createProviderRegistry();
  const factory = registry.get(config.driver);
  if (!factory) throw notSupported(`not supported: data provider driver "${config.driver}" (available: ${[...registry.keys()].join(', ')})`);
  return factory({ config: config as unknown as Record<string, unknown>, configDir, readOnly: opts.readOnly });
}
