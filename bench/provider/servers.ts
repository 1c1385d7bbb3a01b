/**
 * PostgreSQL and MySQL provider benchmark (run by run.ts when the local servers answer):
 * 10,000 user inserts through the provider (a burst, 100 in flight over a pool of 10, and 1,000 one
 * at a time) and one write's latency (a quota update, median of 50), each next to the same work done
 * raw with the driver (one INSERT / one UPDATE per statement, same pool size): the ratio is what
 * the provider adds (its insert is a transaction with the folder mappings, then a read back).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { createProviderRegistry } from '../../src/dataprovider/registry.js';
import type { User } from '../../src/dataprovider/models.js';
import type { DataProvider } from '../../src/dataprovider/types.js';
import { pgSettings } from '../../src/dataprovider/postgres/config.js';
import { pgPoolConfig } from '../../src/dataprovider/postgres/index.js';
import { mysqlSettings } from '../../src/dataprovider/mysql/config.js';
import { mysqlPoolOptions } from '../../src/dataprovider/mysql/index.js';
import { numberedPlaceholders } from '../../src/dataprovider/sql/dialect.js';

type Driver = 'postgresql' | 'mysql';
type Raw = { run(sql: string, params: unknown[]): Promise<void>; end(): Promise<void> };

const CONFIG: Record<Driver, Record<string, unknown>> = {
  postgresql: { host: '127.0.0.1', port: 5432, name: 'test', username: 'postgres', sslmode: 0, pool_size: 10 },
  mysql: { host: '127.0.0.1', port: 3306, name: 'test', username: 'root', sslmode: 0, pool_size: 10 },
};

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => n.toFixed(1);

const user = (i: number): User => ({
  username: `user${String(i).padStart(6, '0')}`, status: 1, home_dir: `/srv/sftpgo/user${i}`,
  password: '$2a$10$q2O5ng7.hOk2afL5ZCGtCuw2EUQBG3whB22tcgJehYXScuMiQZu0S', permissions: { '/': ['*'] },
  filters: { allowed_ip: ['192.0.2.0/24'] }, description: 'bench user',
});

function rawPool(driver: Driver): Raw {
  if (driver === 'postgresql') {
    const pool = new pg.Pool(pgPoolConfig(pgSettings(CONFIG.postgresql), 10));
    return { run: async (sql, p) => { await pool.query(numberedPlaceholders(sql), p); }, end: () => pool.end() };
  }
  const pool = mysql.createPool(mysqlPoolOptions(mysqlSettings(CONFIG.mysql), 10));
  return { run: async (sql, p) => { await pool.query(sql, p); }, end: () => pool.end() };
}

function rawInsert(driver: Driver, prefix: string): (u: User) => [string, unknown[]] {
  const q = (s: string) => (driver === 'postgresql' ? `"${s}"` : `\`${s}\``);
  const sql = `INSERT INTO ${q(`${prefix}users`)} (username, password, public_keys, home_dir, uid, gid, max_sessions, quota_size, quota_files,
    permissions, used_quota_size, used_quota_files, last_quota_update, upload_bandwidth, download_bandwidth, expiration_date, last_login,
    status, filters, filesystem, additional_info, description) VALUES (?,?,?,?,0,0,0,0,0,?,0,0,0,0,0,0,0,1,?,?,'',?)`;
  return (u) => [sql, [u.username, u.password, '[]', u.home_dir, JSON.stringify(u.permissions), JSON.stringify(u.filters), '{"provider":0}', u.description]];
}

async function withTables<T>(driver: Driver, fn: (p: DataProvider, prefix: string, raw: Raw) => Promise<T>): Promise<T> {
  const prefix = `bench${randomBytes(4).toString('hex')}_`;
  const p = await createProviderRegistry().get(driver)!({ config: { ...CONFIG[driver], sql_tables_prefix: prefix }, configDir: '/' });
  const raw = rawPool(driver);
  try {
    await p.initialize();
    return await fn(p, prefix, raw);
  } finally {
    await p.close();
    for (const t of ['folders_mapping', 'users', 'folders', 'admins', 'schema_version', 'webdav_props']) {
      await raw.run(`DROP TABLE IF EXISTS ${driver === 'postgresql' ? `"${prefix}${t}"` : `\`${prefix}${t}\``}`, []);
    }
    await raw.end();
  }
}

/** Runs `fn(0..count-1)` with at most `width` calls in flight (a burst of clients, not 10,000 at once). */
async function inFlight(width: number, count: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => { while (next < count) await fn(next++); };
  await Promise.all(Array.from({ length: width }, worker));
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return ms(t0);
}

async function benchDriver(driver: Driver): Promise<void> {
  const r = await withTables(driver, async (p, prefix, raw) => {
    const insert = rawInsert(driver, prefix);
    const burst = await timed(() => inFlight(100, 10_000, (i) => p.users.add(user(i))));
    const rawBurst = await timed(() => inFlight(100, 10_000, (i) => raw.run(...insert(user(20_000 + i)))));
    const serial = await timed(async () => { for (let i = 0; i < 1000; i++) await p.users.add(user(40_000 + i)); });
    const rawSerial = await timed(async () => { for (let i = 0; i < 1000; i++) await raw.run(...insert(user(60_000 + i))); });
    const upd = `UPDATE ${driver === 'postgresql' ? `"${prefix}users"` : `\`${prefix}users\``} SET used_quota_size = used_quota_size + ?, used_quota_files = used_quota_files + ?, last_quota_update = ? WHERE username = ?`;
    const write: number[] = [];
    const rawWrite: number[] = [];
    for (let i = 0; i < 50; i++) {
      write.push(await timed(() => p.users.updateQuota(user(i).username, 1, 1, false)));
      rawWrite.push(await timed(() => raw.run(upd, [1, 1, Date.now(), user(i).username])));
    }
    return { burst, rawBurst, serial, rawSerial, write: median(write), rawWrite: median(rawWrite) };
  });
  console.log(`${driver}: 10,000 inserts, 100 in flight over a pool of 10: ${fmt(r.burst)} ms = ${Math.round(10_000 / (r.burst / 1000))} inserts/s; raw driver ${fmt(r.rawBurst)} ms; ratio ${fmt(r.burst / r.rawBurst)}x`);
  console.log(`${driver}: 1,000 inserts one at a time: ${fmt(r.serial / 1000)} ms/insert; raw driver ${fmt(r.rawSerial / 1000)} ms; ratio ${fmt(r.serial / r.rawSerial)}x`);
  console.log(`${driver}: one write (quota update), median of 50: ${fmt(r.write)} ms; raw driver ${fmt(r.rawWrite)} ms; ratio ${fmt(r.write / r.rawWrite)}x`);
}

/** Runs the benchmark on each server that answers; says which were skipped. */
export async function serverBench(): Promise<void> {
  for (const driver of ['postgresql', 'mysql'] as const) {
    try {
      await benchDriver(driver);
    } catch (err) {
      console.log(`${driver}: skipped (${(err as Error).message})`);
    }
  }
}
