/**
 * The database servers the PostgreSQL and MySQL provider tests run against: PostgreSQL on
 * 127.0.0.1:5432 (user postgres, database test) and MariaDB/MySQL on 127.0.0.1:3306 (root, empty
 * password, database test), or what SFTPGO_TEST_PGSQL / SFTPGO_TEST_MYSQL give as a provider
 * `connection_string`. Every test works under its own random table prefix and drops its tables
 * afterwards, so parallel runs on one database never collide.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { createProviderRegistry } from '../../src/dataprovider/registry.js';
import { numberedPlaceholders } from '../../src/dataprovider/sql/dialect.js';
import { pgSettings } from '../../src/dataprovider/postgres/config.js';
import { pgPoolConfig } from '../../src/dataprovider/postgres/index.js';
import { mysqlSettings } from '../../src/dataprovider/mysql/config.js';
import { mysqlPoolOptions } from '../../src/dataprovider/mysql/index.js';
import type { DataProvider } from '../../src/dataprovider/types.js';
import { needs } from './require.js';

/** A server driver under test. */
export type ServerDriver = 'postgresql' | 'mysql';

export const SERVER_DRIVERS: readonly ServerDriver[] = ['postgresql', 'mysql'];

/** The `data_provider` keys that reach the test server (no prefix). */
export function serverConfig(driver: ServerDriver): Record<string, unknown> {
  const cs = driver === 'postgresql' ? process.env.SFTPGO_TEST_PGSQL : process.env.SFTPGO_TEST_MYSQL;
  if (cs) return { driver, connection_string: cs };
  return driver === 'postgresql'
    ? { driver, host: '127.0.0.1', port: 5432, name: 'test', username: 'postgres', password: '', sslmode: 0 }
    : { driver, host: '127.0.0.1', port: 3306, name: 'test', username: 'root', password: '', sslmode: 0 };
}

/** A fresh random table prefix. */
export function randomPrefix(): string {
  return `t${randomBytes(5).toString('hex')}_`;
}

/** Opens a provider of `driver` on the test server with `prefix` (not initialized). */
export function openServerProvider(driver: ServerDriver, prefix: string, extra: Record<string, unknown> = {}): Promise<DataProvider> {
  return createProviderRegistry().get(driver)!({ config: { ...serverConfig(driver), sql_tables_prefix: prefix, ...extra }, configDir: '/nonexistent' });
}

/** A raw statement runner on one connection (`?` placeholders, as the stores write them). */
export type RawQuery = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Runs raw statements on the test server (fixtures, inspection, cleanup) with one connection. */
export async function rawSql<T>(driver: ServerDriver, fn: (q: RawQuery) => Promise<T>, connectTimeoutMs = 10_000): Promise<T> {
  const cfg = serverConfig(driver);
  if (driver === 'postgresql') {
    const client = new pg.Client({ ...pgPoolConfig(pgSettings(cfg), 1), connectionTimeoutMillis: connectTimeoutMs });
    await client.connect();
    try {
      return await fn(async (sql, params = []) => (await client.query(numberedPlaceholders(sql), params)).rows as Record<string, unknown>[]);
    } finally {
      await client.end();
    }
  }
  const conn = await mysql.createConnection({ ...mysqlPoolOptions(mysqlSettings(cfg), 1), connectTimeout: connectTimeoutMs });
  try {
    return await fn(async (sql, params = []) => {
      const [rows] = await conn.query(sql, params);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    });
  } finally {
    await conn.end();
  }
}

/** Drops every table whose name starts with `prefix` (children first: foreign keys). */
export async function dropPrefix(driver: ServerDriver, prefix: string): Promise<void> {
  await rawSql(driver, async (q) => {
    const schema = driver === 'postgresql' ? 'current_schema()' : 'DATABASE()';
    const rows = await q(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${schema} AND table_name LIKE ?`,
      [`${prefix.replace(/_/g, '\\_')}%`]);
    const names = rows.map((r) => String(r.name)).sort((a, b) => Number(b.endsWith('folders_mapping')) - Number(a.endsWith('folders_mapping')));
    for (const n of names) await q(driver === 'postgresql' ? `DROP TABLE IF EXISTS "${n}" CASCADE` : `DROP TABLE IF EXISTS \`${n}\``);
  });
}

async function probe(driver: ServerDriver): Promise<string | undefined> {
  try {
    await rawSql(driver, (q) => q('SELECT 1'), 3000);
    return undefined;
  } catch (err) {
    return `${driver} test server not reachable (${(err as Error).message}); set SFTPGO_TEST_${driver === 'postgresql' ? 'PGSQL' : 'MYSQL'}`;
  }
}

/** Whether each server answers, probed once per test file; the skip reason when it does not. */
export async function serverAvailability(): Promise<Record<ServerDriver, { skip?: string }>> {
  const [pgReason, myReason] = await Promise.all(SERVER_DRIVERS.map(probe));
  return { postgresql: needs(!pgReason, pgReason ?? ''), mysql: needs(!myReason, myReason ?? '') };
}

/**
 * A conformance-suite factory for `driver`: a fresh random prefix, an initialized provider, a
 * reopen that closes it and opens the same tables again, and a cleanup that drops them.
 */
export function serverProviderUnderTest(driver: ServerDriver) {
  return async () => {
    const prefix = randomPrefix();
    const open = async () => {
      const p = await openServerProvider(driver, prefix);
      await p.initialize();
      return p;
    };
    let provider = await open();
    return {
      provider,
      async reopen() {
        await provider.close();
        provider = await open();
        return provider;
      },
      async cleanup() {
        await provider.close();
        await dropPrefix(driver, prefix);
      },
    };
  };
}
