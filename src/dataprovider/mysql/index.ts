/**
 * The `mysql` provider (MySQL 5.6+ and MariaDB): SFTPGo's MySQL schema through the shared SQL
 * stores, over a `mysql2` pool (pure JavaScript). Values are sent inlined and escaped by the
 * client, as SFTPGo does (`interpolateParams=true`): one round trip per statement. Several nodes
 * may share the database: quota changes are single UPDATEs adding deltas; no file lock.
 */
import mysql from 'mysql2/promise';
import type { DataProvider, ProviderFactoryOptions } from '../types.js';
import type { SqlRow, SqlValue } from '../sql/db.js';
import { mysqlDialect } from '../sql/dialects/mysql.js';
import { SqlProvider } from '../sql/provider.js';
import { ServerDb, type ExecResult, type PooledConnection, type ServerPool } from '../sql/server-db.js';
import { mysqlSettings, type MySqlSettings } from './config.js';
import { poolLimit, POOL_IDLE_MS, QUERY_TIMEOUT_MS } from '../sql/pool-options.js';

type Queryable = Pick<mysql.Pool, 'query'> | Pick<mysql.PoolConnection, 'query'>;

/** Binary columns (the dead-property keys) come back as Buffers: the stores want text. */
function textRow(row: Record<string, unknown>): SqlRow {
  const out: SqlRow = {};
  for (const [k, v] of Object.entries(row)) out[k] = Buffer.isBuffer(v) ? v.toString('utf8') : (v as SqlValue);
  return out;
}

async function exec(q: Queryable, sql: string, params: SqlValue[]): Promise<ExecResult> {
  const [result] = await q.query({ sql, values: params, timeout: QUERY_TIMEOUT_MS });
  if (Array.isArray(result)) return { rows: (result as Record<string, unknown>[]).map(textRow), changes: 0, lastId: 0 };
  const header = result as mysql.ResultSetHeader;
  return { rows: [], changes: header.affectedRows ?? 0, lastId: Number(header.insertId ?? 0) };
}

function wrapPool(pool: mysql.Pool): ServerPool {
  return {
    exec: (sql, params) => exec(pool, sql, params),
    async connect(): Promise<PooledConnection> {
      const conn = await pool.getConnection();
      return {
        exec: (sql, params) => exec(conn, sql, params),
        release: (broken) => (broken ? conn.destroy() : conn.release()),
      };
    },
    end: () => pool.end(),
  };
}

/** TLS options for SFTPGo's `tls` value (undefined: plain). */
function tlsOptions(tls: MySqlSettings['tls']): mysql.SslOptions | undefined {
  if (tls === 'false') return undefined;
  if (tls === 'true') return { rejectUnauthorized: true, verifyIdentity: true };
  return { rejectUnauthorized: false };
}

/** The pool options for `settings` (TLS as given; see `resolvePreferred`). */
export function mysqlPoolOptions(s: MySqlSettings, poolSize: number, tls = s.tls): mysql.PoolOptions {
  const limit = poolLimit(poolSize);
  return {
    host: s.host, port: s.port, socketPath: s.socketPath, user: s.user, password: s.password, database: s.database,
    ssl: tlsOptions(tls), connectTimeout: s.connectTimeout || undefined, charset: s.charset,
    connectionLimit: limit, maxIdle: Math.min(2, limit), idleTimeout: POOL_IDLE_MS, waitForConnections: true, queueLimit: 0,
    supportBigNumbers: true, flags: ['-LOCAL_FILES', '-MULTI_STATEMENTS'],
  };
}

/**
 * `preferred` uses TLS when the server offers it and plain TCP otherwise. The pool needs one
 * answer, so one connection asks at start-up; when the server cannot be reached then, TLS is kept
 * (the first query reports the real problem).
 */
async function resolvePreferred(s: MySqlSettings): Promise<MySqlSettings['tls']> {
  if (s.tls !== 'preferred') return s.tls;
  try {
    const conn = await mysql.createConnection(mysqlPoolOptions(s, 1, 'skip-verify'));
    await conn.end();
    return 'skip-verify';
  } catch (err) {
    return (err as { code?: string }).code === 'HANDSHAKE_NO_SSL_SUPPORT' ? 'false' : 'skip-verify';
  }
}

/** Factory: `data_provider` host/port/name/username/password/sslmode, or `connection_string`. */
export async function createMysqlProvider(opts: ProviderFactoryOptions): Promise<DataProvider> {
  const settings = mysqlSettings(opts.config);
  const tls = await resolvePreferred(settings);
  const pool = mysql.createPool(mysqlPoolOptions(settings, Number(opts.config.pool_size ?? 0), tls));
  const db = new ServerDb(wrapPool(pool), (err) => mysqlDialect.isDeadlock(err));
  return new SqlProvider('mysql', {
    db, dialect: mysqlDialect, prefix: String(opts.config.sql_tables_prefix ?? ''),
    ping: () => db.ping(),
    close: () => db.end(),
  });
}
