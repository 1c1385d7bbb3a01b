/**
 * The `postgresql` provider: SFTPGo's PostgreSQL schema through the shared SQL stores, over a
 * `pg` pool (pure JavaScript; `pg-native` is never loaded). Several nodes may share the database:
 * quota changes are single UPDATEs adding deltas, and no file lock is involved.
 */
import pg from 'pg';
import type { DataProvider, ProviderFactoryOptions } from '../types.js';
import type { SqlRow, SqlValue } from '../sql/db.js';
import { numberedPlaceholders } from '../sql/dialect.js';
import { postgresDialect } from '../sql/dialects/postgres.js';
import { SqlProvider } from '../sql/provider.js';
import { ServerDb, type ExecResult, type PooledConnection, type ServerPool } from '../sql/server-db.js';
import { pgSettings, pgTls, type PgSettings } from './config.js';
import { poolLimit, POOL_IDLE_MS, POOL_LIFETIME_S, QUERY_TIMEOUT_MS } from '../sql/pool-options.js';

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

/** `?` → `$n`, once per distinct statement. */
class PlaceholderCache {
  private readonly cache = new Map<string, string>();

  get(sql: string): string {
    let text = this.cache.get(sql);
    if (text === undefined) {
      text = numberedPlaceholders(sql);
      if (this.cache.size < 1000) this.cache.set(sql, text);
    }
    return text;
  }
}

async function exec(q: Queryable, sql: string, params: SqlValue[]): Promise<ExecResult> {
  const r = await q.query<SqlRow>(sql, params);
  const rows = r.rows ?? [];
  const id = rows.length === 1 && r.command === 'INSERT' ? Number(rows[0]!.id) : 0;
  return { rows, changes: r.rowCount ?? 0, lastId: id };
}

/** The `pg` pool behind the ServerPool shape. */
function wrapPool(pool: pg.Pool): ServerPool {
  const text = new PlaceholderCache();
  return {
    exec: (sql, params) => exec(pool, text.get(sql), params),
    async connect(): Promise<PooledConnection> {
      const client = await pool.connect();
      return {
        exec: (sql, params) => exec(client, text.get(sql), params),
        release: (broken) => client.release(broken ? true : undefined),
      };
    },
    end: () => pool.end(),
  };
}

/** The pool options for `settings`; `pool_size` 0 takes the driver's default size. */
export function pgPoolConfig(s: PgSettings, poolSize: number): pg.PoolConfig {
  return {
    host: s.host, port: s.port, database: s.database, user: s.user, password: s.password, ssl: pgTls(s),
    connectionTimeoutMillis: s.connectTimeout * 1000, application_name: s.applicationName,
    max: poolLimit(poolSize), idleTimeoutMillis: POOL_IDLE_MS, maxLifetimeSeconds: POOL_LIFETIME_S, query_timeout: QUERY_TIMEOUT_MS,
  };
}

/** Factory: `data_provider` host/port/name/username/password/sslmode, or `connection_string`. */
export async function createPostgresProvider(opts: ProviderFactoryOptions): Promise<DataProvider> {
  const settings = pgSettings(opts.config);
  const pool = new pg.Pool(pgPoolConfig(settings, Number(opts.config.pool_size ?? 0)));
  // An idle connection the server closed (restart, idle timeout) is dropped from the pool and
  // reported here; without a listener the error would end the process. The next query reconnects.
  pool.on('error', () => undefined);
  const db = new ServerDb(wrapPool(pool), (err) => postgresDialect.isDeadlock(err));
  // `cockroachdb` is served by this provider too (registry.ts); the status reports the configured name.
  const driver = opts.config.driver === 'cockroachdb' ? 'cockroachdb' : 'postgresql';
  return new SqlProvider(driver, {
    db, dialect: postgresDialect, prefix: String(opts.config.sql_tables_prefix ?? ''),
    ping: () => db.ping(),
    close: () => db.end(),
  });
}
