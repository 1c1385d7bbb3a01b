/**
 * The `sqlite` provider: a real SQLite file on disk, run in memory by sql.js (wasm, no native addon)
 * and persisted by `FilePersister` after every acknowledged write. The file is locked against a
 * second process; `readOnly` opens (dump tools) skip the lock and never write.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import initSqlJs, { type Database, type SqlJsStatic, type Statement } from 'sql.js';
import type { DataProvider, ProviderFactoryOptions } from '../types.js';
import type { SqlDb, SqlRow, SqlValue } from '../sql/db.js';
import { SqlProvider } from '../sql/provider.js';
import { sqliteDialect } from '../sql/dialects/sqlite.js';
import { FilePersister } from './persist.js';
import { acquireFileLock } from './lock.js';
import { failure, notFound } from '../../util/errors.js';
import { seaAsset } from '../../util/runtime.js';

async function loadSqlJs(): Promise<SqlJsStatic> {
  const wasm = await seaAsset('sql-wasm.wasm');
  return wasm ? initSqlJs({ wasmBinary: wasm }) : initSqlJs();
}

/**
 * Per-connection settings, applied at open and again after each export (which reopens the
 * database). The rollback journal stays in memory: the wasm file system is memory anyway, a
 * journal file there only cost time (about 60% of each write), and durability comes from the
 * atomic file write of the whole database, not from SQLite's journal.
 */
function applyPragmas(db: Database): void {
  db.run('PRAGMA foreign_keys = ON');
  db.run('PRAGMA journal_mode = MEMORY');
  db.run('PRAGMA synchronous = OFF');
  db.run('PRAGMA locking_mode = EXCLUSIVE');
}

/**
 * SqlDb over a sql.js Database. Work is serialized on one chain so async steps cannot interleave:
 * a transaction runs alone, and a read outside a transaction waits for the transactions before
 * it (it never sees another operation's uncommitted rows); statements issued inside a transaction
 * run at once. Prepared statements are cached per SQL text (export() frees them all).
 */
class SqlJsDb implements SqlDb {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly inTransaction = new AsyncLocalStorage<true>();
  private readonly statements = new Map<string, Statement>();

  persister: FilePersister | undefined;

  constructor(private readonly db: Database) {}

  private prepared(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Called after export(), which frees every statement of the database. */
  forgetStatements(): void {
    this.statements.clear();
  }

  private now<T>(fn: () => T): Promise<T> {
    return this.inTransaction.getStore() ? Promise.resolve(fn()) : this.exclusive(fn);
  }

  all(sql: string, params: SqlValue[]): Promise<SqlRow[]> {
    return this.now(() => {
      const stmt = this.prepared(sql);
      try {
        stmt.bind(params);
        const rows: SqlRow[] = [];
        while (stmt.step()) rows.push(stmt.getAsObject() as SqlRow);
        return rows;
      } finally {
        stmt.reset();
      }
    });
  }

  run(sql: string, params: SqlValue[]): Promise<{ changes: number; lastId: number }> {
    return this.now(() => {
      const stmt = this.prepared(sql);
      try {
        stmt.bind(params);
        stmt.step();
      } finally {
        stmt.reset();
      }
      const changes = this.db.getRowsModified();
      const last = this.prepared('SELECT last_insert_rowid()');
      try {
        last.step();
        return { changes, lastId: Number(last.get()[0] ?? 0) };
      } finally {
        last.reset();
      }
    });
  }

  /** Runs `fn` alone: no transaction is open while it runs. */
  exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    const next = this.chain.then(fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(() => this.inTransaction.run(true, async () => {
      this.db.run('BEGIN');
      try {
        const out = await fn();
        this.db.run('COMMIT');
        return out;
      } catch (err) {
        this.db.run('ROLLBACK');
        throw err;
      }
    }));
    this.chain = next.catch(() => undefined);
    return next;
  }

  async commitDurable(): Promise<void> {
    if (!this.persister) throw failure('the database was opened read-only');
    await this.persister.persist();
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
    applyPragmas(db);
    const sql = new SqlJsDb(db);
    // export() closes and reopens the database (pragmas reset), so it runs between transactions.
    const snapshot = () => sql.exclusive(() => {
      const data = db.export();
      sql.forgetStatements();
      applyPragmas(db);
      return data;
    });
    const persister = opts.readOnly ? undefined : new FilePersister(file, snapshot);
    sql.persister = persister;
    return new SqlProvider('sqlite', {
      db: sql, dialect: sqliteDialect, prefix,
      ping: async () => { db.exec('SELECT 1'); },
      async close() {
        await persister?.drain();
        await sql.exclusive(() => sql.forgetStatements());
        db.close();
        await release();
      },
    });
  } catch (err) {
    await release();
    throw err;
  }
}
