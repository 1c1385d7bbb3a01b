/**
 * The narrow database handle the shared SQL stores use: sql.js (sqljs/) and the server pools
 * (server-db.ts, for PostgreSQL and MySQL) plug in behind the same stores. Parameters are
 * positional `?` (the PostgreSQL driver rewrites them as `$n`).
 */
export type SqlValue = string | number | null;
export type SqlRow = Record<string, SqlValue>;

export interface SqlDb {
  all(sql: string, params: SqlValue[]): Promise<SqlRow[]>;
  /** Runs a statement; `changes` = rows affected, `lastId` = last inserted rowid. */
  run(sql: string, params: SqlValue[]): Promise<{ changes: number; lastId: number }>;
  /** Runs `fn` in one transaction, rolled back when it throws. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Resolves when every write made so far is durable (a no-op for server databases). */
  commitDurable(): Promise<void>;
}
