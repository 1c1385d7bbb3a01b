/**
 * MySQL / MariaDB: SFTPGo v2.1.2's MySQL layout (`AUTO_INCREMENT` ids, `longtext` JSON columns,
 * named constraints; the tables take the database's default character set and collation, as
 * SFTPGo's do). Ordering casts to binary (byte order whatever the collation); a unique violation
 * is ER_DUP_ENTRY (1062).
 */
import { errorField, type SqlDialect, type TableNames } from '../dialect.js';

const q = (ident: string) => `\`${ident.replace(/`/g, '``')}\``;

function initialV8(t: TableNames, prefix: string): string[] {
  const fk = (col: string, ref: string, name: string) =>
    `ALTER TABLE ${q(t.mapping)} ADD CONSTRAINT ${q(`${prefix}${name}`)} FOREIGN KEY (\`${col}\`) REFERENCES ${q(ref)} (\`id\`) ON DELETE CASCADE`;
  return [
    `CREATE TABLE ${q(t.schemaVersion)} (\`id\` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, \`version\` integer NOT NULL)`,
    `CREATE TABLE ${q(t.admins)} (\`id\` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, \`username\` varchar(255) NOT NULL UNIQUE,
      \`password\` varchar(255) NOT NULL, \`email\` varchar(255) NULL, \`status\` integer NOT NULL, \`permissions\` longtext NOT NULL,
      \`filters\` longtext NULL, \`additional_info\` longtext NULL)`,
    `CREATE TABLE ${q(t.folders)} (\`id\` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, \`name\` varchar(255) NOT NULL UNIQUE,
      \`path\` varchar(512) NULL, \`used_quota_size\` bigint NOT NULL, \`used_quota_files\` integer NOT NULL,
      \`last_quota_update\` bigint NOT NULL)`,
    `CREATE TABLE ${q(t.users)} (\`id\` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, \`status\` integer NOT NULL,
      \`expiration_date\` bigint NOT NULL, \`username\` varchar(255) NOT NULL UNIQUE, \`password\` longtext NULL,
      \`public_keys\` longtext NULL, \`home_dir\` varchar(512) NOT NULL, \`uid\` integer NOT NULL, \`gid\` integer NOT NULL,
      \`max_sessions\` integer NOT NULL, \`quota_size\` bigint NOT NULL, \`quota_files\` integer NOT NULL,
      \`permissions\` longtext NOT NULL, \`used_quota_size\` bigint NOT NULL, \`used_quota_files\` integer NOT NULL,
      \`last_quota_update\` bigint NOT NULL, \`upload_bandwidth\` integer NOT NULL, \`download_bandwidth\` integer NOT NULL,
      \`last_login\` bigint NOT NULL, \`filters\` longtext NULL, \`filesystem\` longtext NULL, \`additional_info\` longtext NULL)`,
    `CREATE TABLE ${q(t.mapping)} (\`id\` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, \`virtual_path\` varchar(512) NOT NULL,
      \`quota_size\` bigint NOT NULL, \`quota_files\` integer NOT NULL, \`folder_id\` integer NOT NULL, \`user_id\` integer NOT NULL)`,
    `ALTER TABLE ${q(t.mapping)} ADD CONSTRAINT ${q(`${prefix}unique_mapping`)} UNIQUE (\`user_id\`, \`folder_id\`)`,
    fk('folder_id', t.folders, 'folders_mapping_folder_id_fk_folders_id'),
    fk('user_id', t.users, 'folders_mapping_user_id_fk_users_id'),
    `INSERT INTO ${q(t.schemaVersion)} (version) VALUES (8)`,
  ];
}

/** The MySQL/MariaDB dialect. */
export const mysqlDialect: SqlDialect = {
  name: 'mysql',
  q,
  initialV8,
  v8to9: (t) => [
    `ALTER TABLE ${q(t.admins)} ADD COLUMN \`description\` varchar(512) NULL`,
    `ALTER TABLE ${q(t.folders)} ADD COLUMN \`description\` varchar(512) NULL`,
    `ALTER TABLE ${q(t.folders)} ADD COLUMN \`filesystem\` longtext NULL`,
    `ALTER TABLE ${q(t.users)} ADD COLUMN \`description\` varchar(512) NULL`,
  ],
  v9to8: (t) => [
    `ALTER TABLE ${q(t.users)} DROP COLUMN \`description\``,
    `ALTER TABLE ${q(t.folders)} DROP COLUMN \`filesystem\``,
    `ALTER TABLE ${q(t.folders)} DROP COLUMN \`description\``,
    `ALTER TABLE ${q(t.admins)} DROP COLUMN \`description\``,
  ],
  tableExistsSql: `SELECT 1 AS found FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?`,
  // Binary columns: paths compare byte for byte (a case-insensitive collation would merge "/A" and
  // "/a"), and a 2048-byte path fits InnoDB's 3072-byte key where 2048 utf8mb4 characters would not.
  davPropsTable: (table) => `CREATE TABLE IF NOT EXISTS ${q(table)} (\`username\` varbinary(255) NOT NULL,
    \`path\` varbinary(2048) NOT NULL, \`props\` longtext NOT NULL, PRIMARY KEY (\`username\`, \`path\`))`,
  // substr on a binary column counts bytes.
  pathLength: (s) => Buffer.byteLength(s, 'utf8'),
  binaryOrder: (column) => `CAST(${column} AS BINARY)`,
  returningId: '',
  upsert: (table, keys, cols) => {
    const all = [...keys, ...cols];
    return `INSERT INTO ${q(table)} (${all.map(q).join(', ')}) VALUES (${all.map(() => '?').join(', ')})
      ON DUPLICATE KEY UPDATE ${cols.map((c) => `${q(c)} = VALUES(${q(c)})`).join(', ')}`;
  },
  isUniqueViolation: (err) => errorField(err, 'errno') === 1062 || errorField(err, 'code') === 'ER_DUP_ENTRY',
  isDeadlock: (err) => errorField(err, 'errno') === 1213,
};
