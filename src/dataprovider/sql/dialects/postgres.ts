/**
 * PostgreSQL: SFTPGo v2.1.2's PostgreSQL layout (`serial` ids, `text` JSON columns, named
 * constraints, deferrable foreign keys). Ordering uses the "C" collation (byte order, whatever the
 * database's locale); inserts return their id; a unique violation is SQLSTATE 23505.
 */
import { errorField, onConflictUpsert, type SqlDialect, type TableNames } from '../dialect.js';

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

function initialV8(t: TableNames, prefix: string): string[] {
  const fk = (col: string, ref: string, name: string) => `ALTER TABLE ${q(t.mapping)} ADD CONSTRAINT ${q(`${prefix}${name}`)}
    FOREIGN KEY ("${col}") REFERENCES ${q(ref)} ("id") MATCH SIMPLE ON UPDATE NO ACTION ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED`;
  return [
    `CREATE TABLE ${q(t.schemaVersion)} ("id" serial NOT NULL PRIMARY KEY, "version" integer NOT NULL)`,
    `CREATE TABLE ${q(t.admins)} ("id" serial NOT NULL PRIMARY KEY, "username" varchar(255) NOT NULL UNIQUE,
      "password" varchar(255) NOT NULL, "email" varchar(255) NULL, "status" integer NOT NULL, "permissions" text NOT NULL,
      "filters" text NULL, "additional_info" text NULL)`,
    `CREATE TABLE ${q(t.folders)} ("id" serial NOT NULL PRIMARY KEY, "name" varchar(255) NOT NULL UNIQUE,
      "path" varchar(512) NULL, "used_quota_size" bigint NOT NULL, "used_quota_files" integer NOT NULL,
      "last_quota_update" bigint NOT NULL)`,
    `CREATE TABLE ${q(t.users)} ("id" serial NOT NULL PRIMARY KEY, "status" integer NOT NULL, "expiration_date" bigint NOT NULL,
      "username" varchar(255) NOT NULL UNIQUE, "password" text NULL, "public_keys" text NULL, "home_dir" varchar(512) NOT NULL,
      "uid" integer NOT NULL, "gid" integer NOT NULL, "max_sessions" integer NOT NULL, "quota_size" bigint NOT NULL,
      "quota_files" integer NOT NULL, "permissions" text NOT NULL, "used_quota_size" bigint NOT NULL,
      "used_quota_files" integer NOT NULL, "last_quota_update" bigint NOT NULL, "upload_bandwidth" integer NOT NULL,
      "download_bandwidth" integer NOT NULL, "last_login" bigint NOT NULL, "filters" text NULL, "filesystem" text NULL,
      "additional_info" text NULL)`,
    `CREATE TABLE ${q(t.mapping)} ("id" serial NOT NULL PRIMARY KEY, "virtual_path" varchar(512) NOT NULL,
      "quota_size" bigint NOT NULL, "quota_files" integer NOT NULL, "folder_id" integer NOT NULL, "user_id" integer NOT NULL)`,
    `ALTER TABLE ${q(t.mapping)} ADD CONSTRAINT ${q(`${prefix}unique_mapping`)} UNIQUE ("user_id", "folder_id")`,
    fk('folder_id', t.folders, 'folders_mapping_folder_id_fk_folders_id'),
    fk('user_id', t.users, 'folders_mapping_user_id_fk_users_id'),
    `CREATE INDEX ${q(`${prefix}folders_mapping_folder_id_idx`)} ON ${q(t.mapping)} ("folder_id")`,
    `CREATE INDEX ${q(`${prefix}folders_mapping_user_id_idx`)} ON ${q(t.mapping)} ("user_id")`,
    `INSERT INTO ${q(t.schemaVersion)} (version) VALUES (8)`,
  ];
}

/** The PostgreSQL dialect. */
export const postgresDialect: SqlDialect = {
  name: 'postgresql',
  q,
  initialV8,
  v8to9: (t) => [
    `ALTER TABLE ${q(t.admins)} ADD COLUMN "description" varchar(512) NULL`,
    `ALTER TABLE ${q(t.folders)} ADD COLUMN "description" varchar(512) NULL`,
    `ALTER TABLE ${q(t.folders)} ADD COLUMN "filesystem" text NULL`,
    `ALTER TABLE ${q(t.users)} ADD COLUMN "description" varchar(512) NULL`,
  ],
  v9to8: (t) => [
    `ALTER TABLE ${q(t.users)} DROP COLUMN "description" CASCADE`,
    `ALTER TABLE ${q(t.folders)} DROP COLUMN "filesystem" CASCADE`,
    `ALTER TABLE ${q(t.folders)} DROP COLUMN "description" CASCADE`,
    `ALTER TABLE ${q(t.admins)} DROP COLUMN "description" CASCADE`,
  ],
  tableExistsSql: `SELECT 1 AS found FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`,
  davPropsTable: (table) => `CREATE TABLE IF NOT EXISTS ${q(table)} ("username" varchar(255) NOT NULL,
    "path" varchar(2048) COLLATE "C" NOT NULL, "props" text NOT NULL, PRIMARY KEY ("username", "path"))`,
  // substr counts characters (code points).
  pathLength: (s) => [...s].length,
  binaryOrder: (column) => `${column} COLLATE "C"`,
  returningId: ' RETURNING "id"',
  upsert: (table, keys, cols) => onConflictUpsert(q, table, keys, cols),
  isUniqueViolation: (err) => errorField(err, 'code') === '23505',
  isDeadlock: (err) => ['40001', '40P01'].includes(String(errorField(err, 'code'))),
};
