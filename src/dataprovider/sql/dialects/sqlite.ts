/**
 * SQLite (sql.js): SFTPGo's sqlite layout. `AUTOINCREMENT` ids, text JSON columns, BINARY
 * collation by default (so plain ORDER BY is already byte order), `last_insert_rowid()` for ids.
 */
import { errorField, onConflictUpsert, type SqlDialect, type TableNames } from '../dialect.js';

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

function initialV8(t: TableNames, prefix: string): string[] {
  return [
    `CREATE TABLE ${q(t.schemaVersion)} ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "version" integer NOT NULL)`,
    `CREATE TABLE ${q(t.admins)} ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "username" varchar(255) NOT NULL UNIQUE,
      "password" varchar(255) NOT NULL, "email" varchar(255) NULL, "status" integer NOT NULL, "permissions" text NOT NULL,
      "filters" text NULL, "additional_info" text NULL)`,
    `CREATE TABLE ${q(t.folders)} ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(255) NOT NULL UNIQUE,
      "path" varchar(512) NULL, "used_quota_size" bigint NOT NULL, "used_quota_files" integer NOT NULL, "last_quota_update" bigint NOT NULL)`,
    `CREATE TABLE ${q(t.users)} ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "username" varchar(255) NOT NULL UNIQUE,
      "password" text NULL, "public_keys" text NULL, "home_dir" varchar(512) NOT NULL, "uid" integer NOT NULL, "gid" integer NOT NULL,
      "max_sessions" integer NOT NULL, "quota_size" bigint NOT NULL, "quota_files" integer NOT NULL, "permissions" text NOT NULL,
      "used_quota_size" bigint NOT NULL, "used_quota_files" integer NOT NULL, "last_quota_update" bigint NOT NULL,
      "upload_bandwidth" integer NOT NULL, "download_bandwidth" integer NOT NULL, "expiration_date" bigint NOT NULL,
      "last_login" bigint NOT NULL, "status" integer NOT NULL, "filters" text NULL, "filesystem" text NULL, "additional_info" text NULL)`,
    `CREATE TABLE ${q(t.mapping)} ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "virtual_path" varchar(512) NOT NULL,
      "quota_size" bigint NOT NULL, "quota_files" integer NOT NULL,
      "folder_id" integer NOT NULL REFERENCES ${q(t.folders)} ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
      "user_id" integer NOT NULL REFERENCES ${q(t.users)} ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
      CONSTRAINT ${q(`${prefix}unique_mapping`)} UNIQUE ("user_id", "folder_id"))`,
    `CREATE INDEX ${q(`${prefix}folders_mapping_folder_id_idx`)} ON ${q(t.mapping)} ("folder_id")`,
    `CREATE INDEX ${q(`${prefix}folders_mapping_user_id_idx`)} ON ${q(t.mapping)} ("user_id")`,
    `INSERT INTO ${q(t.schemaVersion)} (version) VALUES (8)`,
  ];
}

/** The sqlite dialect. */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  q,
  initialV8,
  v8to9: (t) => [
    `ALTER TABLE ${q(t.admins)} ADD COLUMN "description" varchar(512) NULL`,
    `ALTER TABLE ${q(t.folders)} ADD COLUMN "description" varchar(512) NULL`,
    `ALTER TABLE ${q(t.folders)} ADD COLUMN "filesystem" text NULL`,
    `ALTER TABLE ${q(t.users)} ADD COLUMN "description" varchar(512) NULL`,
  ],
  v9to8: (t) => [
    `ALTER TABLE ${q(t.admins)} DROP COLUMN "description"`,
    `ALTER TABLE ${q(t.folders)} DROP COLUMN "description"`,
    `ALTER TABLE ${q(t.folders)} DROP COLUMN "filesystem"`,
    `ALTER TABLE ${q(t.users)} DROP COLUMN "description"`,
  ],
  tableExistsSql: `SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`,
  davPropsTable: (table) => `CREATE TABLE IF NOT EXISTS ${q(table)} ("username" varchar(255) NOT NULL,
    "path" varchar(2048) NOT NULL, "props" text NOT NULL, PRIMARY KEY ("username", "path"))`,
  // substr counts characters (code points).
  pathLength: (s) => [...s].length,
  binaryOrder: (column) => column,
  returningId: '',
  upsert: (table, keys, cols) => onConflictUpsert(q, table, keys, cols),
  isUniqueViolation: (err) => /UNIQUE constraint/i.test(String(errorField(err, 'message'))),
  isDeadlock: () => false,
};
