/**
 * WebDAV dead properties over any `SqlDb` and dialect, in their own table `<prefix>webdav_props`. The table is
 * outside SFTPGo's numbered schema (SFTPGo has no dead properties): it is created on first use, so
 * the schema version stays the one SFTPGo v2.1.2 expects and a database can still go back to it.
 */
import type { DavPropStore } from '../types.js';
import type { SqlDb, SqlValue } from './db.js';
import type { SqlDialect } from './dialect.js';

/** WHERE clause (and params) matching `path` and everything below it. */
function tree(d: SqlDialect, path: string): [string, SqlValue[]] {
  if (path === '/') return ['1 = 1', []];
  const base = `${path}/`;
  return ['(path = ? OR substr(path, 1, ?) = ?)', [path, d.pathLength(base), base]];
}

function rebase(p: string, from: string, to: string): string {
  const rest = p.slice(from.length);
  return to === '/' ? rest || '/' : to + rest;
}

/** Dead properties in the `<prefix>webdav_props` table. */
export class SqlDavProps implements DavPropStore {
  private ready: Promise<void> | undefined;
  private readonly raw: string;
  private readonly table: string;

  constructor(private readonly db: SqlDb, private readonly d: SqlDialect, prefix: string) {
    this.raw = `${prefix}webdav_props`;
    this.table = d.q(this.raw);
  }

  private ensure(): Promise<void> {
    this.ready ??= this.create().then(() => this.db.commitDurable()).catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  /**
   * Two nodes creating the table at once can make the loser's CREATE ... IF NOT EXISTS fail
   * (PostgreSQL checks its catalog's unique index): the table being there is all that matters.
   */
  private async create(): Promise<void> {
    try {
      await this.db.transaction(() => this.db.run(this.d.davPropsTable(this.raw), []));
    } catch (err) {
      if (!(await this.db.all(this.d.tableExistsSql, [this.raw])).length) throw err;
    }
  }

  private async write(fn: () => Promise<unknown>): Promise<void> {
    await this.ensure();
    await this.db.transaction(fn);
    await this.db.commitDurable();
  }

  async get(username: string, paths: readonly string[]): Promise<Map<string, Record<string, string>>> {
    await this.ensure();
    const out = new Map<string, Record<string, string>>();
    // Chunks keep the statement under every dialect's parameter limit.
    for (let i = 0; i < paths.length; i += 200) {
      const chunk = paths.slice(i, i + 200);
      const rows = await this.db.all(
        `SELECT path, props FROM ${this.table} WHERE username = ? AND path IN (${chunk.map(() => '?').join(',')})`,
        [username, ...chunk]);
      for (const r of rows) out.set(String(r.path), JSON.parse(String(r.props)) as Record<string, string>);
    }
    return out;
  }

  async set(username: string, path: string, props: Record<string, string>): Promise<void> {
    await this.write(() => (Object.keys(props).length > 0
      ? this.db.run(this.d.upsert(this.raw, ['username', 'path'], ['props']), [username, path, JSON.stringify(props)])
      : this.db.run(`DELETE FROM ${this.table} WHERE username = ? AND path = ?`, [username, path])));
  }

  async removeTree(username: string, path: string): Promise<void> {
    const [where, params] = tree(this.d, path);
    await this.write(() => this.db.run(`DELETE FROM ${this.table} WHERE username = ? AND ${where}`, [username, ...params]));
  }

  async copyTree(username: string, from: string, to: string, move: boolean): Promise<void> {
    await this.write(async () => {
      const [src, srcParams] = tree(this.d, from);
      const rows = await this.db.all(`SELECT path, props FROM ${this.table} WHERE username = ? AND ${src}`, [username, ...srcParams]);
      if (move) await this.db.run(`DELETE FROM ${this.table} WHERE username = ? AND ${src}`, [username, ...srcParams]);
      const [dst, dstParams] = tree(this.d, to);
      await this.db.run(`DELETE FROM ${this.table} WHERE username = ? AND ${dst}`, [username, ...dstParams]);
      for (const r of rows) {
        await this.db.run(`INSERT INTO ${this.table} (username, path, props) VALUES (?,?,?)`,
          [username, rebase(String(r.path), from, to), String(r.props)]);
      }
    });
  }
}
