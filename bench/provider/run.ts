/**
 * sqlite (sql.js) provider benchmark: what persistence costs (issue 2, LIBS.md "sql.js").
 *
 * 1. 10,000 user inserts through the provider: a burst (all in flight, flushes shared) and one at
 *    a time (each acknowledged, i.e. on disk, before the next; 1,000 of them, since each export
 *    grows with the file). Reference: raw sql.js inserting the same rows in one transaction and
 *    writing the file once (the floor).
 * 2. One persisted write (a quota update, acknowledged = on disk) with 1k, 10k and 100k users in
 *    the file: median of 15, next to the raw export + atomic write of the same database.
 * 3. The PostgreSQL and MySQL providers on the local servers (servers.ts).
 * Run: node --import tsx bench/provider/run.ts [max users, default 100000]
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import initSqlJs, { type Database } from 'sql.js';
import { createSqliteProvider } from '../../src/dataprovider/sqljs/index.js';
import { writeAtomically } from '../../src/dataprovider/sqljs/persist.js';
import type { User } from '../../src/dataprovider/models.js';
import type { DataProvider } from '../../src/dataprovider/types.js';
import { serverBench } from './servers.js';

const user = (i: number): User => ({
  username: `user${String(i).padStart(6, '0')}`, status: 1, home_dir: `/srv/sftpgo/user${i}`,
  password: '$2a$10$q2O5ng7.hOk2afL5ZCGtCuw2EUQBG3whB22tcgJehYXScuMiQZu0S', permissions: { '/': ['*'] },
  filters: { allowed_ip: ['192.0.2.0/24'] }, description: 'bench user',
});

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => n.toFixed(1);

async function withProvider<T>(dir: string, fn: (p: DataProvider) => Promise<T>): Promise<T> {
  const p = await createSqliteProvider({ config: { name: 'sftpgo.db' }, configDir: dir });
  try {
    await p.initialize();
    return await fn(p);
  } finally {
    await p.close();
  }
}

async function tempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-bench-provider-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The provider's schema, then `count` users inserted raw in one transaction (fast set-up). */
async function seed(dir: string, count: number): Promise<void> {
  await withProvider(dir, async () => undefined);
  const file = path.join(dir, 'sftpgo.db');
  const SQL = await initSqlJs();
  const db = new SQL.Database(await readFile(file));
  rawInsert(db, 0, count);
  await writeAtomically(file, db.export());
  db.close();
}

function rawInsert(db: Database, from: number, count: number): void {
  const stmt = db.prepare(`INSERT INTO users (username, password, public_keys, home_dir, uid, gid, max_sessions, quota_size, quota_files,
    permissions, used_quota_size, used_quota_files, last_quota_update, upload_bandwidth, download_bandwidth, expiration_date, last_login,
    status, filters, filesystem, additional_info, description) VALUES (?,?,?,?,0,0,0,0,0,?,0,0,0,0,0,0,0,1,?,?,'',?)`);
  db.run('BEGIN');
  for (let i = from; i < from + count; i++) {
    const u = user(i);
    stmt.run([u.username, u.password!, '[]', u.home_dir, JSON.stringify(u.permissions), JSON.stringify(u.filters), '{"provider":0}', u.description!]);
  }
  db.run('COMMIT');
  stmt.free();
}

async function inserts(): Promise<void> {
  const burst = await tempDir((dir) => withProvider(dir, async (p) => {
    const t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: 10_000 }, (_, i) => p.users.add(user(i))));
    return ms(t0);
  }));
  const oneByOne = await tempDir((dir) => withProvider(dir, async (p) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) await p.users.add(user(i));
    return ms(t0);
  }));
  const raw = await tempDir(async (dir) => {
    await withProvider(dir, async () => undefined);
    const SQL = await initSqlJs();
    const file = path.join(dir, 'sftpgo.db');
    const db = new SQL.Database(await readFile(file));
    const t0 = process.hrtime.bigint();
    rawInsert(db, 0, 10_000);
    await writeAtomically(file, db.export());
    const t = ms(t0);
    db.close();
    return t;
  });
  console.log(`10,000 inserts, burst (all in flight, flushes shared): ${fmt(burst)} ms = ${Math.round(10_000 / (burst / 1000))} inserts/s`);
  console.log(`1,000 inserts one at a time (each on disk before the next): ${fmt(oneByOne)} ms = ${fmt(oneByOne / 1000)} ms/insert`);
  console.log(`reference, raw sql.js: 10,000 inserts in one transaction + one file write: ${fmt(raw)} ms; burst ratio ${fmt(burst / raw)}x`);
}

async function persistedWrite(count: number): Promise<void> {
  await tempDir(async (dir) => {
    await seed(dir, count);
    const file = path.join(dir, 'sftpgo.db');
    const size = (await stat(file)).size;
    const writes = await withProvider(dir, async (p) => {
      const times: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t0 = process.hrtime.bigint();
        await p.users.updateQuota(user(i % count).username, 1, 1, false);
        times.push(ms(t0));
      }
      return times;
    });
    const SQL = await initSqlJs();
    const db = new SQL.Database(await readFile(file));
    const raw: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = process.hrtime.bigint();
      await writeAtomically(file, db.export());
      raw.push(ms(t0));
    }
    db.close();
    console.log(`${count} users (file ${fmt(size / 1048576)} MB): one persisted write ${fmt(median(writes))} ms median; raw export + atomic write ${fmt(median(raw))} ms; ratio ${fmt(median(writes) / median(raw))}x`);
  });
}

async function main(): Promise<void> {
  const max = Number(process.argv[2] ?? 100_000);
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await inserts();
  for (const n of [1_000, 10_000, 100_000].filter((x) => x <= max)) await persistedWrite(n);
  await serverBench();
}

void main();
