/**
 * `SqlDb` over a connection pool of a database server (PostgreSQL, MySQL). A statement outside a
 * transaction takes any pooled connection; a transaction holds one connection, and every statement
 * the stores issue while it runs (found through AsyncLocalStorage, so the stores keep calling
 * `db.run`) goes to that connection. A transaction the server aborts to break a deadlock (two
 * nodes writing neighbouring rows) runs again, a few times. Commits are durable on the server, so
 * `commitDurable` has nothing to wait for.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlDb, SqlRow, SqlValue } from './db.js';

/** What one statement gave back. */
export interface ExecResult {
  rows: SqlRow[];
  /** Rows affected (matched, for an UPDATE). */
  changes: number;
  /** Id of the inserted row, when the statement inserted one. */
  lastId: number;
}

/** Something that runs a statement: the pool or one connection. */
export interface Executor {
  exec(sql: string, params: SqlValue[]): Promise<ExecResult>;
}

/** One connection taken from the pool. */
export interface PooledConnection extends Executor {
  /** Gives the connection back; `broken` destroys it instead (its session state is unknown). */
  release(broken?: boolean): void;
}

/** The driver's pool, reduced to what the stores need. */
export interface ServerPool extends Executor {
  connect(): Promise<PooledConnection>;
  end(): Promise<void>;
}

/** Attempts of a transaction the server keeps aborting as a deadlock victim. */
const DEADLOCK_RETRIES = 5;

/** The SqlDb of a server database. */
export class ServerDb implements SqlDb {
  private readonly current = new AsyncLocalStorage<PooledConnection>();

  /** @param isDeadlock tells a deadlock abort (safe to retry) from other errors. */
  constructor(private readonly pool: ServerPool, private readonly isDeadlock: (err: unknown) => boolean) {}

  private executor(): Executor {
    return this.current.getStore() ?? this.pool;
  }

  async all(sql: string, params: SqlValue[]): Promise<SqlRow[]> {
    return (await this.executor().exec(sql, params)).rows;
  }

  async run(sql: string, params: SqlValue[]): Promise<{ changes: number; lastId: number }> {
    const r = await this.executor().exec(sql, params);
    return { changes: r.changes, lastId: r.lastId };
  }

  /** A transaction inside a transaction joins the outer one. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.current.getStore()) return fn();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(fn);
      } catch (err) {
        if (attempt >= DEADLOCK_RETRIES || !this.isDeadlock(err)) throw err;
      }
    }
  }

  private async once<T>(fn: () => Promise<T>): Promise<T> {
    const conn = await this.pool.connect();
    // A connection whose BEGIN or ROLLBACK failed is in an unknown state: it is destroyed.
    let broken = false;
    try {
      await conn.exec('BEGIN', []).catch((err: unknown) => { broken = true; throw err; });
      return await this.current.run(conn, async () => {
        try {
          const out = await fn();
          await conn.exec('COMMIT', []);
          return out;
        } catch (err) {
          await conn.exec('ROLLBACK', []).catch(() => { broken = true; });
          throw err;
        }
      });
    } finally {
      conn.release(broken);
    }
  }

  async commitDurable(): Promise<void> {
    // The server acknowledged the COMMIT: the write is on its disk.
  }

  /** A round trip to the server. */
  async ping(): Promise<void> {
    await this.pool.exec('SELECT 1', []);
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
