/**
 * User, folder and admin stores over any `SqlDb` and dialect (sql.js, PostgreSQL, MySQL). Every
 * write resolves only after `commitDurable()`: for sql.js that is the file on disk. Quota changes
 * are one UPDATE adding the delta in SQL, so nodes sharing a database never lose an increment.
 */
import type { Admin, BaseVirtualFolder, User } from '../models.js';
import type { AdminStore, FolderStore, ListOptions, UserStore } from '../types.js';
import type { SqlDb, SqlValue } from './db.js';
import type { SqlDialect, TableNames } from './dialect.js';
import { adminToRow, folderToRow, rowToAdmin, rowToFolder, rowToUser, userToRow, USER_COLUMNS } from './rows.js';
import { exists, notFound } from '../../util/errors.js';

const order = (o: ListOptions) => (o.order === 'DESC' ? 'DESC' : 'ASC');

/** What every store works with: the database, its dialect and the quoted table names. */
export interface SqlContext {
  db: SqlDb;
  dialect: SqlDialect;
  /** Table names, quoted for the dialect. */
  t: TableNames;
}

async function write<T>(db: SqlDb, fn: () => Promise<T>): Promise<T> {
  const out = await db.transaction(fn);
  await db.commitDurable();
  return out;
}

/** One statement is atomic by itself: no BEGIN/COMMIT round trips (quota updates are the hot path). */
async function writeOne(db: SqlDb, sql: string, params: SqlValue[]): Promise<{ changes: number; lastId: number }> {
  const out = await db.run(sql, params);
  await db.commitDurable();
  return out;
}

/** What the three stores share: their context, and `iterate` paging through their own `list`. */
abstract class SqlStore<T> {
  protected readonly db: SqlDb;
  protected readonly t: TableNames;
  protected readonly d: SqlDialect;

  constructor(ctx: SqlContext) {
    this.db = ctx.db;
    this.t = ctx.t;
    this.d = ctx.dialect;
  }

  abstract list(o: ListOptions): Promise<T[]>;

  async *iterate(batch = 100): AsyncIterable<T> {
    for (let offset = 0; ; offset += batch) {
      const page = await this.list({ limit: batch, offset, order: 'ASC' });
      yield* page;
      if (page.length < batch) return;
    }
  }
}

export class SqlFolders extends SqlStore<BaseVirtualFolder> implements FolderStore {
  private async withUsers(f: BaseVirtualFolder): Promise<BaseVirtualFolder> {
    const rows = await this.db.all(
      `SELECT u.username FROM ${this.t.mapping} m JOIN ${this.t.users} u ON u.id = m.user_id WHERE m.folder_id = ? ORDER BY ${this.d.binaryOrder('u.username')}`, [f.id ?? 0]);
    return { ...f, users: rows.map((r) => String(r.username)) };
  }

  async get(name: string): Promise<BaseVirtualFolder> {
    const rows = await this.db.all(`SELECT * FROM ${this.t.folders} WHERE name = ?`, [name]);
    if (!rows.length) throw notFound(`folder "${name}" does not exist`);
    return this.withUsers(rowToFolder(rows[0]!));
  }

  async list(o: ListOptions): Promise<BaseVirtualFolder[]> {
    const rows = await this.db.all(`SELECT * FROM ${this.t.folders} ORDER BY ${this.d.binaryOrder('name')} ${order(o)} LIMIT ? OFFSET ?`, [o.limit, o.offset]);
    return Promise.all(rows.map((r) => this.withUsers(rowToFolder(r))));
  }

  async add(folder: BaseVirtualFolder): Promise<BaseVirtualFolder> {
    await writeOne(this.db,
      `INSERT INTO ${this.t.folders} (name, path, used_quota_size, used_quota_files, last_quota_update, description, filesystem) VALUES (?,?,?,?,?,?,?)${this.d.returningId}`,
      folderToRow(folder)).catch((err) => { throw this.d.isUniqueViolation(err) ? exists(`folder "${folder.name}" already exists`) : err; });
    return this.get(folder.name);
  }

  async update(folder: BaseVirtualFolder): Promise<BaseVirtualFolder> {
    const r = await writeOne(this.db,
      `UPDATE ${this.t.folders} SET path = ?, description = ?, filesystem = ? WHERE name = ?`,
      [folder.mapped_path ?? '', folder.description ?? '', JSON.stringify(folder.filesystem ?? { provider: 0 }), folder.name]);
    if (!r.changes) throw notFound(`folder "${folder.name}" does not exist`);
    return this.get(folder.name);
  }

  async delete(name: string): Promise<void> {
    const r = await write(this.db, async () => {
      await this.db.run(`DELETE FROM ${this.t.mapping} WHERE folder_id IN (SELECT id FROM ${this.t.folders} WHERE name = ?)`, [name]);
      return this.db.run(`DELETE FROM ${this.t.folders} WHERE name = ?`, [name]);
    });
    if (!r.changes) throw notFound(`folder "${name}" does not exist`);
  }

  async updateQuota(name: string, size: number, files: number, reset: boolean): Promise<void> {
    const set = reset ? 'used_quota_size = ?, used_quota_files = ?' : 'used_quota_size = used_quota_size + ?, used_quota_files = used_quota_files + ?';
    const r = await writeOne(this.db, `UPDATE ${this.t.folders} SET ${set}, last_quota_update = ? WHERE name = ?`, [size, files, Date.now(), name]);
    if (!r.changes) throw notFound(`folder "${name}" does not exist`);
  }

  async getUsedQuota(name: string): Promise<{ usedSize: number; usedFiles: number }> {
    // One row, no users join: this runs on every upload into a folder with a quota.
    const rows = await this.db.all(`SELECT used_quota_size, used_quota_files FROM ${this.t.folders} WHERE name = ?`, [name]);
    if (!rows.length) throw notFound(`folder "${name}" does not exist`);
    return { usedSize: Number(rows[0]!.used_quota_size), usedFiles: Number(rows[0]!.used_quota_files) };
  }
}

export class SqlUsers extends SqlStore<User> implements UserStore {
  private async withFolders(u: User): Promise<User> {
    const rows = await this.db.all(
      `SELECT f.*, m.virtual_path, m.quota_size AS m_quota_size, m.quota_files AS m_quota_files FROM ${this.t.mapping} m
       JOIN ${this.t.folders} f ON f.id = m.folder_id WHERE m.user_id = ? ORDER BY m.id`, [u.id ?? 0]);
    u.virtual_folders = rows.map((r) => ({
      ...rowToFolder(r), virtual_path: String(r.virtual_path), quota_size: Number(r.m_quota_size), quota_files: Number(r.m_quota_files),
    }));
    return u;
  }

  async get(username: string): Promise<User> {
    const rows = await this.db.all(`SELECT * FROM ${this.t.users} WHERE username = ?`, [username]);
    if (!rows.length) throw notFound(`user "${username}" does not exist`);
    return this.withFolders(rowToUser(rows[0]!));
  }

  async list(o: ListOptions): Promise<User[]> {
    const rows = await this.db.all(`SELECT * FROM ${this.t.users} ORDER BY ${this.d.binaryOrder('username')} ${order(o)} LIMIT ? OFFSET ?`, [o.limit, o.offset]);
    return Promise.all(rows.map((r) => this.withFolders(rowToUser(r))));
  }

  private async saveMappings(userId: number, user: User): Promise<void> {
    await this.db.run(`DELETE FROM ${this.t.mapping} WHERE user_id = ?`, [userId]);
    await this.addMappings(userId, user);
  }

  private async addMappings(userId: number, user: User): Promise<void> {
    for (const vf of user.virtual_folders ?? []) {
      const f = await this.db.all(`SELECT id FROM ${this.t.folders} WHERE name = ?`, [vf.name]);
      if (!f.length) throw notFound(`folder "${vf.name}" does not exist`);
      await this.db.run(`INSERT INTO ${this.t.mapping} (virtual_path, quota_size, quota_files, folder_id, user_id) VALUES (?,?,?,?,?)`,
        [vf.virtual_path, vf.quota_size ?? 0, vf.quota_files ?? 0, f[0]!.id, userId]);
    }
  }

  async add(user: User): Promise<User> {
    const cols = USER_COLUMNS.map((c) => this.d.q(c)).join(',');
    const insert = `INSERT INTO ${this.t.users} (${cols}) VALUES (${USER_COLUMNS.map(() => '?').join(',')})${this.d.returningId}`;
    // Without folders the INSERT alone is the whole write; with them, one transaction.
    const saved = user.virtual_folders?.length
      ? write(this.db, async () => this.addMappings((await this.db.run(insert, userToRow(user))).lastId, user))
      : writeOne(this.db, insert, userToRow(user));
    await saved.catch((err) => { throw this.d.isUniqueViolation(err) ? exists(`user "${user.username}" already exists`) : err; });
    return this.get(user.username);
  }

  async update(user: User): Promise<User> {
    const keep = new Set(['username', 'used_quota_size', 'used_quota_files', 'last_quota_update', 'last_login']);
    const row = userToRow(user);
    const sets: string[] = [];
    const params: SqlValue[] = [];
    USER_COLUMNS.forEach((c, i) => { if (!keep.has(c)) { sets.push(`${this.d.q(c)} = ?`); params.push(row[i]!); } });
    await write(this.db, async () => {
      const cur = await this.db.all(`SELECT id FROM ${this.t.users} WHERE username = ?`, [user.username]);
      if (!cur.length) throw notFound(`user "${user.username}" does not exist`);
      await this.db.run(`UPDATE ${this.t.users} SET ${sets.join(', ')} WHERE id = ?`, [...params, cur[0]!.id]);
      await this.saveMappings(Number(cur[0]!.id), user);
    });
    return this.get(user.username);
  }

  async delete(username: string): Promise<void> {
    const r = await write(this.db, async () => {
      await this.db.run(`DELETE FROM ${this.t.mapping} WHERE user_id IN (SELECT id FROM ${this.t.users} WHERE username = ?)`, [username]);
      return this.db.run(`DELETE FROM ${this.t.users} WHERE username = ?`, [username]);
    });
    if (!r.changes) throw notFound(`user "${username}" does not exist`);
  }

  async count(): Promise<number> {
    return Number((await this.db.all(`SELECT COUNT(*) AS n FROM ${this.t.users}`, []))[0]!.n);
  }

  async updateQuota(username: string, size: number, files: number, reset: boolean): Promise<void> {
    const set = reset ? 'used_quota_size = ?, used_quota_files = ?' : 'used_quota_size = used_quota_size + ?, used_quota_files = used_quota_files + ?';
    const r = await writeOne(this.db, `UPDATE ${this.t.users} SET ${set}, last_quota_update = ? WHERE username = ?`, [size, files, Date.now(), username]);
    if (!r.changes) throw notFound(`user "${username}" does not exist`);
  }

  async getUsedQuota(username: string): Promise<{ usedSize: number; usedFiles: number }> {
    const rows = await this.db.all(`SELECT used_quota_size, used_quota_files FROM ${this.t.users} WHERE username = ?`, [username]);
    if (!rows.length) throw notFound(`user "${username}" does not exist`);
    return { usedSize: Number(rows[0]!.used_quota_size), usedFiles: Number(rows[0]!.used_quota_files) };
  }

  async updateLastLogin(username: string, at: number): Promise<void> {
    const r = await writeOne(this.db, `UPDATE ${this.t.users} SET last_login = ? WHERE username = ?`, [at, username]);
    if (!r.changes) throw notFound(`user "${username}" does not exist`);
  }
}

export class SqlAdmins extends SqlStore<Admin> implements AdminStore {
  async get(username: string): Promise<Admin> {
    const rows = await this.db.all(`SELECT * FROM ${this.t.admins} WHERE username = ?`, [username]);
    if (!rows.length) throw notFound(`admin "${username}" does not exist`);
    return rowToAdmin(rows[0]!);
  }

  async list(o: ListOptions): Promise<Admin[]> {
    const rows = await this.db.all(`SELECT * FROM ${this.t.admins} ORDER BY ${this.d.binaryOrder('username')} ${order(o)} LIMIT ? OFFSET ?`, [o.limit, o.offset]);
    return rows.map(rowToAdmin);
  }

  async add(admin: Admin): Promise<Admin> {
    await writeOne(this.db,
      `INSERT INTO ${this.t.admins} (username, password, email, status, permissions, filters, additional_info, description) VALUES (?,?,?,?,?,?,?,?)${this.d.returningId}`,
      adminToRow(admin)).catch((err) => { throw this.d.isUniqueViolation(err) ? exists(`admin "${admin.username}" already exists`) : err; });
    return this.get(admin.username);
  }

  async update(admin: Admin): Promise<Admin> {
    const [, password, email, status, permissions, filters, info, description] = adminToRow(admin);
    const r = await writeOne(this.db,
      `UPDATE ${this.t.admins} SET password = ?, email = ?, status = ?, permissions = ?, filters = ?, additional_info = ?, description = ? WHERE username = ?`,
      [password!, email!, status!, permissions!, filters!, info!, description!, admin.username]);
    if (!r.changes) throw notFound(`admin "${admin.username}" does not exist`);
    return this.get(admin.username);
  }

  async delete(username: string): Promise<void> {
    const r = await writeOne(this.db, `DELETE FROM ${this.t.admins} WHERE username = ?`, [username]);
    if (!r.changes) throw notFound(`admin "${username}" does not exist`);
  }

  async count(): Promise<number> {
    return Number((await this.db.all(`SELECT COUNT(*) AS n FROM ${this.t.admins}`, []))[0]!.n);
  }
}
