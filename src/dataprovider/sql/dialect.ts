/**
 * The seam between the shared SQL stores and one database's SQL: identifier quoting, DDL (SFTPGo's
 * tables with each database's types, auto-increment and JSON-as-text columns), binary ordering,
 * how an insert reports its id, upserts, and how a unique violation shows. Placeholders are always `?` in
 * the shared code; a driver whose server wants `$n` rewrites them (see `numberedPlaceholders`).
 */

/** The SFTPGo tables, by role. */
export interface TableNames {
  schemaVersion: string;
  admins: string;
  folders: string;
  users: string;
  mapping: string;
}

/** One database's SQL. */
export interface SqlDialect {
  /** Driver name as configured ("sqlite", "postgresql", "mysql"). */
  readonly name: string;
  /** Quotes one identifier (table or column name). */
  q(ident: string): string;
  /** SFTPGo's initial script: the version-8 tables, indexes and the version row. Names are raw. */
  initialV8(t: TableNames, prefix: string): string[];
  /** 8 → 9: descriptions and the folder filesystem column. */
  v8to9(t: TableNames): string[];
  /** 9 → 8: the same columns dropped. */
  v9to8(t: TableNames): string[];
  /** A query with one `?` (a raw table name) that returns a row when the table exists. */
  tableExistsSql: string;
  /** `CREATE TABLE IF NOT EXISTS` for the WebDAV dead properties table (username, path, props). */
  davPropsTable(table: string): string;
  /** Length, in the unit the database's `substr` counts, of a value stored in a dead-property path. */
  pathLength(s: string): number;
  /** An ORDER BY key that sorts `column` in byte order, as SQLite and SFTPGo's sqlite provider do. */
  binaryOrder(column: string): string;
  /** Appended to an INSERT so the driver can report the new row's id ('' when the driver knows it). */
  readonly returningId: string;
  /**
   * Inserts a row or, when `keys` collide, replaces its other columns: one statement, so
   * concurrent writers never interleave a delete and an insert (InnoDB's gap locks would deadlock).
   */
  upsert(table: string, keys: readonly string[], cols: readonly string[]): string;
  /** True when `err` is a unique-constraint violation. */
  isUniqueViolation(err: unknown): boolean;
  /** True when the server aborted a transaction to break a deadlock: running it again is safe. */
  isDeadlock(err: unknown): boolean;
}

/** Table names for `prefix` (raw, unquoted). */
export function tableNames(prefix: string): TableNames {
  return {
    schemaVersion: `${prefix}schema_version`,
    admins: `${prefix}admins`,
    folders: `${prefix}folders`,
    users: `${prefix}users`,
    mapping: `${prefix}folders_mapping`,
  };
}

/** The same names quoted for `dialect`, ready to put in a statement. */
export function quotedTables(dialect: SqlDialect, t: TableNames): TableNames {
  return {
    schemaVersion: dialect.q(t.schemaVersion), admins: dialect.q(t.admins), folders: dialect.q(t.folders),
    users: dialect.q(t.users), mapping: dialect.q(t.mapping),
  };
}

/**
 * Rewrites `?` placeholders as `$1, $2, ...` (PostgreSQL). Quoted text is skipped, so a `?` inside
 * a string literal or a quoted identifier stays as it is.
 */
export function numberedPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else {
      out += ch === '?' ? `$${++n}` : ch;
    }
  }
  return out;
}

/** One field of a driver error (drivers put the server's code on `code` or `errno`). */
export function errorField(err: unknown, field: 'code' | 'errno' | 'message'): unknown {
  if (!err || typeof err !== 'object') return undefined;
  return (err as Record<string, unknown>)[field];
}

/** `INSERT ... ON CONFLICT (keys) DO UPDATE` (SQLite 3.24+, PostgreSQL 9.5+). */
export function onConflictUpsert(q: (s: string) => string, table: string, keys: readonly string[], cols: readonly string[]): string {
  const all = [...keys, ...cols];
  return `INSERT INTO ${q(table)} (${all.map(q).join(', ')}) VALUES (${all.map(() => '?').join(', ')}) ON CONFLICT (${keys.map(q).join(', ')})
    DO UPDATE SET ${cols.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`;
}
