/**
 * A DataProvider over any `SqlDb` and dialect: the stores, the numbered schema and the dead
 * properties, shared by the sqlite (sql.js), PostgreSQL and MySQL providers. What differs per
 * driver (durability, availability check, releasing connections or locks) comes in `SqlBackend`.
 */
import type { DataProvider } from '../types.js';
import type { SqlDb } from './db.js';
import { quotedTables, tableNames, type SqlDialect } from './dialect.js';
import { SqlSchema } from './schema.js';
import { SqlAdmins, SqlFolders, SqlUsers } from './stores.js';
import { SqlDavProps } from './dav-props.js';
import { invalidInput } from '../../util/errors.js';

/** What one driver brings. */
export interface SqlBackend {
  db: SqlDb;
  dialect: SqlDialect;
  /** `sql_tables_prefix`. */
  prefix: string;
  /** Cheap liveness check (a round trip to a server). */
  ping(): Promise<void>;
  /** Flushes pending writes and releases connections, files and locks. */
  close(): Promise<void>;
}

/** The shared SQL provider; `driver` is the registered name. */
export class SqlProvider implements DataProvider {
  readonly persistent = true;
  readonly users: SqlUsers;
  readonly folders: SqlFolders;
  readonly admins: SqlAdmins;
  readonly davProps: SqlDavProps;
  private readonly schema: SqlSchema;

  constructor(readonly driver: string, private readonly backend: SqlBackend) {
    const { db, dialect, prefix } = backend;
    const ctx = { db, dialect, t: quotedTables(dialect, tableNames(prefix)) };
    this.users = new SqlUsers(ctx);
    this.folders = new SqlFolders(ctx);
    this.admins = new SqlAdmins(ctx);
    this.davProps = new SqlDavProps(db, dialect, prefix);
    this.schema = new SqlSchema(db, dialect, prefix);
  }

  async initialize(): Promise<void> {
    await this.schema.migrate();
    await this.backend.db.commitDurable();
  }

  schemaVersion(): Promise<number> {
    return this.schema.currentVersion();
  }

  async revert(version: number): Promise<void> {
    if (version !== 8) throw invalidInput(`revertprovider: only version 8 is supported, not ${version}`);
    await this.schema.revertTo8();
    await this.backend.db.commitDurable();
  }

  checkAvailability(): Promise<void> {
    return this.backend.ping();
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}
