/**
 * SFTPGo's SQL layout, as numbered migrations over any dialect: the initial script creates version
 * 8, then 8→9 (descriptions, folder filesystem) and 9→10 (Azure `sas_url` becomes a secret). Revert
 * walks back to 8. A version below 8 is refused as too old; a newer one is left alone.
 */
import type { SqlDb } from './db.js';
import { quotedTables, tableNames, type SqlDialect, type TableNames } from './dialect.js';
import { failure } from '../../util/errors.js';

export const CURRENT_SCHEMA_VERSION = 10;

async function setVersion(db: SqlDb, t: TableNames, version: number): Promise<void> {
  await db.run(`UPDATE ${t.schemaVersion} SET version = ?`, [version]);
}

/** Rewrites every `azblobconfig.sas_url` in a JSON column with `convert`. */
async function convertSasUrls(db: SqlDb, table: string, convert: (v: unknown) => unknown): Promise<void> {
  const rows = await db.all(`SELECT id, filesystem FROM ${table} WHERE filesystem LIKE '%sas_url%'`, []);
  for (const row of rows) {
    const fs = JSON.parse(String(row.filesystem)) as { azblobconfig?: { sas_url?: unknown } };
    if (!fs.azblobconfig || fs.azblobconfig.sas_url === undefined) continue;
    fs.azblobconfig.sas_url = convert(fs.azblobconfig.sas_url);
    await db.run(`UPDATE ${table} SET filesystem = ? WHERE id = ?`, [JSON.stringify(fs), row.id ?? null]);
  }
}

/** v10 stores the SAS URL as a secret; a string becomes a Plain secret, sealed by the KMS on the next save. */
const sasToSecret = (v: unknown) => (typeof v === 'string' ? (v ? { status: 'Plain', payload: v } : {}) : v);
/** Back to v9: a Plain secret becomes its string again; an encrypted one cannot be opened here and is dropped. */
const sasToString = (v: unknown) => (v && typeof v === 'object' && (v as { status?: string }).status === 'Plain' ? (v as { payload?: string }).payload ?? '' : '');

async function runAll(db: SqlDb, statements: string[]): Promise<void> {
  for (const s of statements) await db.run(s, []);
}

/** Migrations of one table set in one dialect. */
export class SqlSchema {
  private readonly raw: TableNames;
  private readonly t: TableNames;

  constructor(private readonly db: SqlDb, private readonly dialect: SqlDialect, private readonly prefix: string) {
    this.raw = tableNames(prefix);
    this.t = quotedTables(dialect, this.raw);
  }

  /** The stored version; 0 when there is no schema. */
  async currentVersion(): Promise<number> {
    const found = await this.db.all(this.dialect.tableExistsSql, [this.raw.schemaVersion]);
    if (!found.length) return 0;
    const rows = await this.db.all(`SELECT version FROM ${this.t.schemaVersion} LIMIT 1`, []);
    return rows.length ? Number(rows[0]!.version) : 0;
  }

  /** Creates the schema when missing and migrates it to CURRENT_SCHEMA_VERSION. */
  async migrate(): Promise<void> {
    let version = await this.currentVersion();
    if (version === 0) {
      await this.db.transaction(() => runAll(this.db, this.dialect.initialV8(this.raw, this.prefix)));
      version = 8;
    }
    if (version < 8) throw failure(`database version ${version} is too old: upgrade through SFTPGo 2.0.x first`);
    if (version === 8) {
      await this.step(this.dialect.v8to9(this.raw), 9);
      version = 9;
    }
    if (version === 9) await this.convertSas(sasToSecret, 10);
  }

  /** Reverts to version 8 (the only target SFTPGo v2.1.2 accepts). */
  async revertTo8(): Promise<void> {
    let version = await this.currentVersion();
    if (version === 10) {
      await this.convertSas(sasToString, 9);
      version = 9;
    }
    if (version === 9) await this.step(this.dialect.v9to8(this.raw), 8);
  }

  /** DDL then the version, in one transaction (MySQL commits each DDL statement on its own). */
  private step(statements: string[], version: number): Promise<void> {
    return this.db.transaction(async () => {
      await runAll(this.db, statements);
      await setVersion(this.db, this.t, version);
    });
  }

  private convertSas(convert: (v: unknown) => unknown, version: number): Promise<void> {
    return this.db.transaction(async () => {
      await convertSasUrls(this.db, this.t.users, convert);
      await convertSasUrls(this.db, this.t.folders, convert);
      await setVersion(this.db, this.t, version);
    });
  }
}
