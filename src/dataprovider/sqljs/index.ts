/**
 * The `sqlite` provider: a real SQLite file on disk, run in memory by sql.js (wasm, no native addon)
 * and persisted by `FilePersister` after every acknowledged write. The file is locked against a
 * second process; `readOnly` opens (dump tools) skip the lock and never write.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import type { DataProvider, ProviderFactoryOptions } from '../types.js';
import type { SqlDb, SqlRow, SqlValue } from '../sql/db.js';
import { currentVersion, migrate, revertTo8, tableNames, type TableNames } from '../sql/schema.js';
import { SqlAdmins, SqlFolders, SqlUsers } from '../sql/stores.js';
import { FilePersister } from './persist.js';
import { acquireFileLock } from './lock.js';
import { failure, invalidInput, notFound } from '../../util/errors.js';
import { seaAsset } from '../../util/runtime.js';

async function loadSqlJs(): Promise<SqlJsStatic> {
  const wasm = await seaAsset('sql-wasm.wasm');
  return wasm ? initSqlJs({ wasmBinary: wasm }) : initSqlJs();
}

/** SqlDb over a sql.js Database; transactions are serialized so async work cannot interleave. */
class SqlJsDb implements SqlDb {
  private chain: Promise<unknown> = Promise.resolve();

  persister: FilePersister | undefined;

  constructor(private readonly db: Database) {}

  async all(sql: string, params: SqlValue[]): Promise<SqlRow[]> {
    const stmt = this.db.prepare(sql);
    try {
      stmt.bind(params);
      const rows: SqlRow[] = [];
      while (stmt.step()) rows.push(stmt.getAsObject() as SqlRow);
      return rows;
    } finally {
      stmt.free();
    }
  }

  async run(sql: string, params: SqlValue[]): Promise<{ changes: number; lastId: number }> {
    this.db.run(sql, params);
    const changes = this.db.getRowsModified();
    const last = this.db.exec('SELECT last_insert_rowid() AS id');
    return { changes, lastId: Number(last[0]?.values[0]?.[0] ?? 0) };
  }

  /** Runs `fn` alone: no transaction is open while it runs. */
  exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    const next = this.chain.then(fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(async () => {
      this.db.run('BEGIN');
      try {
        const out = await fn();
        this.db.run('COMMIT');
        return out;
      } catch (err) {
        this.db.run('ROLLBACK');
        throw err;
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  async commitDurable(): Promise<void> {
    if (!this.persister) throw failure('the database was opened read-only');
    await this.persister.persist();
  }
}

export class SqliteProvider implements DataProvider {
  readonly driver = 'sqlite';
  readonly persistent = true;
  readonly users: SqlUsers;
  readonly folders: SqlFolders;
  readonly admins: SqlAdmins;
  private readonly t: TableNames;

  constructor(
    private readonly db: Database,
    private readonly sql: SqlJsDb,
    private readonly prefix: string,
    private readonly persister: FilePersister | undefined,
    private readonly release: () => Promise<void>,
  ) {
    this.t = tableNames(prefix);
    this.users = new SqlUsers(sql, this.t);
    this.folders = new SqlFolders(sql, this.t);
    this.admins = new SqlAdmins(sql, this.t);
  }

  async initialize(): Promise<void> {
    await migrate(this.sql, this.prefix);
    await this.sql.commitDurable();
  }

  schemaVersion(): Promise<number> {
    return currentVersion(this.sql, this.t);
  }

  async revert(version: number): Promise<void> {
    if (version !== 8) throw invalidInput(`revertprovider: only version 8 is supported, not ${version}`);
    await revertTo8(this.sql, this.prefix);
    await this.sql.commitDurable();
  }

  async checkAvailability(): Promise<void> {
    this.db.exec('SELECT 1');
  }

  async close(): Promise<void> {
    await this.persister?.drain();
    this.db.close();
    await this.release();
  }
}

/** Factory: `data_provider.name` is the file, relative to the config dir. */
export async function createSqliteProvider(opts: ProviderFactoryOptions): Promise<DataProvider> {
  const name = String(opts.config.name || 'sftpgo.db');
  const prefix = String(opts.config.sql_tables_prefix ?? '');
  const file = isAbsolute(name) ? name : join(opts.configDir, name);
  const release = opts.readOnly ? async () => undefined : await acquireFileLock(file);
  try {
    const SQL = await loadSqlJs();
    const content = await readFile(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' && !opts.readOnly) return undefined;
      throw err.code === 'ENOENT' ? notFound(`database file ${file} does not exist`) : err;
    });
    const db = new SQL.Database(content);
    db.run('PRAGMA foreign_keys = ON');
    const sql = new SqlJsDb(db);
    // export() closes and reopens the database (pragmas reset), so it runs between transactions.
    const snapshot = () => sql.exclusive(() => {
      const data = db.export();
      db.run('PRAGMA foreign_keys = ON');
      return data;
    });
    const persister = opts.readOnly ? undefined : new FilePersister(file, snapshot);
    sql.persister = persister;
    return new SqliteProvider(db, sql, prefix, persister, release);
  } catch (err) {
    await release();
    throw err;
  }
}
