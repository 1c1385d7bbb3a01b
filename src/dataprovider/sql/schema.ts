/**
 * SFTPGo's SQL layout, as numbered migrations: the initial script creates version 8, then 8→9
 * (descriptions, folder filesystem) and 9→10 (Azure `sas_url` becomes a secret). Revert walks back
 * to 8. Table names take `sql_tables_prefix`. SQLite syntax; other dialects will bring their own DDL.
 */
import type { SqlDb } from './db.js';

export const CURRENT_SCHEMA_VERSION = 10;

export function tableNames(prefix: string) {
  return {
    schemaVersion: `${prefix}schema_version`,
    admins: `${prefix}admins`,
    folders: `${prefix}folders`,
    users: `${prefix}users`,
    mapping: `${prefix}folders_mapping`,
  };
}
export type TableNames = ReturnType<typeof tableNames>;

function initialV8(t: TableNames, prefix: string): string[] {
  return [
    `CREATE TABLE "${t.schemaVersion}" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "version" integer NOT NULL)`,
    `CREATE TABLE "${t.admins}" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "username" varchar(255) NOT NULL UNIQUE,
      "password" varchar(255) NOT NULL, "email" varchar(255) NULL, "status" integer NOT NULL, "permissions" text NOT NULL,
      "filters" text NULL, "additional_info" text NULL)`,
    `CREATE TABLE "${t.folders}" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(255) NOT NULL UNIQUE,
      "path" varchar(512) NULL, "used_quota_size" bigint NOT NULL, "used_quota_files" integer NOT NULL, "last_quota_update" bigint NOT NULL)`,
    `CREATE TABLE "${t.users}" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "username" varchar(255) NOT NULL UNIQUE,
      "password" text NULL, "public_keys" text NULL, "home_dir" varchar(512) NOT NULL, "uid" integer NOT NULL, "gid" integer NOT NULL,
      "max_sessions" integer NOT NULL, "quota_size" bigint NOT NULL, "quota_files" integer NOT NULL, "permissions" text NOT NULL,
      "used_quota_size" bigint NOT NULL, "used_quota_files" integer NOT NULL, "last_quota_update" bigint NOT NULL,
      "upload_bandwidth" integer NOT NULL, "download_bandwidth" integer NOT NULL, "expiration_date" bigint NOT NULL,
      "last_login" bigint NOT NULL, "status" integer NOT NULL, "filters" text NULL, "filesystem" text NULL, "additional_info" text NULL)`,
    `CREATE TABLE "${t.mapping}" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "virtual_path" varchar(512) NOT NULL,
      "quota_size" bigint NOT NULL, "quota_files" integer NOT NULL,
      "folder_id" integer NOT NULL REFERENCES "${t.folders}" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
      "user_id" integer NOT NULL REFERENCES "${t.users}" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
      CONSTRAINT "${prefix}unique_mapping" UNIQUE ("user_id", "folder_id"))`,
    `CREATE INDEX "${prefix}folders_mapping_folder_id_idx" ON "${t.mapping}" ("folder_id")`,
    `CREATE INDEX "${prefix}folders_mapping_user_id_idx" ON "${t.mapping}" ("user_id")`,
    `INSERT INTO "${t.schemaVersion}" (version) VALUES (8)`,
  ];
}

function v8to9(t: TableNames): string[] {
  return [
    `ALTER TABLE "${t.admins}" ADD COLUMN "description" varchar(512) NULL`,
    `ALTER TABLE "${t.folders}" ADD COLUMN "description" varchar(512) NULL`,
    `ALTER TABLE "${t.folders}" ADD COLUMN "filesystem" text NULL`,
    `ALTER TABLE "${t.users}" ADD COLUMN "description" varchar(512) NULL`,
  ];
}

function v9to8(t: TableNames): string[] {
  return [
    `ALTER TABLE "${t.admins}" DROP COLUMN "description"`,
    `ALTER TABLE "${t.folders}" DROP COLUMN "description"`,
    `ALTER TABLE "${t.folders}" DROP COLUMN "filesystem"`,
    `ALTER TABLE "${t.users}" DROP COLUMN "description"`,
  ];
}

async function setVersion(db: SqlDb, t: TableNames, version: number): Promise<void> {
  await db.run(`UPDATE "${t.schemaVersion}" SET version = ?`, [version]);
}

/** Rewrites every `azblobconfig.sas_url` in a JSON column with `convert`. */
async function convertSasUrls(db: SqlDb, table: string, convert: (v: unknown) => unknown): Promise<void> {
  const rows = await db.all(`SELECT id, filesystem FROM "${table}" WHERE filesystem LIKE '%sas_url%'`, []);
  for (const row of rows) {
    const fs = JSON.parse(String(row.filesystem)) as { azblobconfig?: { sas_url?: unknown } };
    if (!fs.azblobconfig || fs.azblobconfig.sas_url === undefined) continue;
    fs.azblobconfig.sas_url = convert(fs.azblobconfig.sas_url);
    await db.run(`UPDATE "${table}" SET filesystem = ? WHERE id = ?`, [JSON.stringify(fs), row.id]);
  }
}

/** v10 stores the SAS URL as a secret; a string becomes a Plain secret, sealed by the KMS on the next save. */
const sasToSecret = (v: unknown) => (typeof v === 'string' ? (v ? { status: 'Plain', payload: v } : {}) : v);
/** Back to v9: a Plain secret becomes its string again; an encrypted one cannot be opened here and is dropped. */
const sasToString = (v: unknown) => (v && typeof v === 'object' && (v as { status?: string }).status === 'Plain' ? (v as { payload?: string }).payload ?? '' : '');

export async function currentVersion(db: SqlDb, t: TableNames): Promise<number> {
  const exists = await db.all(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`, [t.schemaVersion]);
  if (!exists.length) return 0;
  const rows = await db.all(`SELECT version FROM "${t.schemaVersion}" LIMIT 1`, []);
  return rows.length ? Number(rows[0]!.version) : 0;
}

/** Creates the schema when missing and migrates it to CURRENT_SCHEMA_VERSION. */
export async function migrate(db: SqlDb, prefix: string): Promise<void> {
  const t = tableNames(prefix);
  let version = await currentVersion(db, t);
  if (version === 0) {
    await db.transaction(async () => { for (const s of initialV8(t, prefix)) await db.run(s, []); });
    version = 8;
  }
  if (version < 8) throw new Error(`database version ${version} is too old: upgrade through SFTPGo 2.0.x first`);
  if (version === 8) {
    await db.transaction(async () => { for (const s of v8to9(t)) await db.run(s, []); await setVersion(db, t, 9); });
    version = 9;
  }
  if (version === 9) {
    await db.transaction(async () => {
      await convertSasUrls(db, t.users, sasToSecret);
      await convertSasUrls(db, t.folders, sasToSecret);
      await setVersion(db, t, 10);
    });
  }
}

/** Reverts to version 8 (the only target SFTPGo v2.1.2 accepts). */
export async function revertTo8(db: SqlDb, prefix: string): Promise<void> {
  const t = tableNames(prefix);
  let version = await currentVersion(db, t);
  if (version === 10) {
    await db.transaction(async () => {
      await convertSasUrls(db, t.users, sasToString);
      await convertSasUrls(db, t.folders, sasToString);
      await setVersion(db, t, 9);
    });
    version = 9;
  }
  if (version === 9) {
    await db.transaction(async () => { for (const s of v9to8(t)) await db.run(s, []); await setVersion(db, t, 8); });
  }
}
