/**
 * Backups in SFTPGo v2.1.2's format (`BackupData`, version 8): dump everything as stored
 * (hashes and encrypted secrets included), restore folders → users → admins with modes
 * 0 (add + update), 1 (add only), 2 (add + update; the caller disconnects updated users).
 * The first invalid item aborts; items restored before it stay, as in SFTPGo.
 */
import { DUMP_VERSION, type Admin, type BackupData, type BaseVirtualFolder, type User } from './models.js';
import type { DataProvider } from './types.js';
import type { RestoreMode, RestoreResult } from './service-types.js';
import { invalidInput } from '../util/errors.js';

/** What restore needs from the service: existence checks and validated add/update. */
export interface RestoreTarget {
  exists(kind: 'user' | 'folder' | 'admin', name: string): Promise<boolean>;
  addUser(u: User): Promise<User>;
  updateUser(u: User): Promise<User>;
  addFolder(f: BaseVirtualFolder): Promise<BaseVirtualFolder>;
  updateFolder(f: BaseVirtualFolder): Promise<BaseVirtualFolder>;
  addAdmin(a: Admin): Promise<Admin>;
  updateAdmin(a: Admin): Promise<Admin>;
}

export async function dumpProvider(provider: DataProvider): Promise<BackupData> {
  const data: BackupData = { users: [], folders: [], admins: [], version: DUMP_VERSION };
  for await (const u of provider.users.iterate()) data.users.push(u);
  for await (const f of provider.folders.iterate()) data.folders.push(f);
  for await (const a of provider.admins.iterate()) data.admins.push(a);
  return data;
}

/** Checks the top-level shape of a backup document before anything is written. */
export function parseBackup(raw: unknown): BackupData {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalidInput('backup: the document must be a JSON object');
  const doc = raw as Record<string, unknown>;
  for (const key of ['users', 'folders', 'admins'] as const) {
    if (doc[key] !== undefined && doc[key] !== null && !Array.isArray(doc[key])) throw invalidInput(`backup: "${key}" must be a list`);
  }
  return {
    users: (doc.users as User[] | null) ?? [],
    folders: (doc.folders as BaseVirtualFolder[] | null) ?? [],
    admins: (doc.admins as Admin[] | null) ?? [],
    version: typeof doc.version === 'number' ? doc.version : DUMP_VERSION,
  };
}

export async function restoreBackup(target: RestoreTarget, raw: BackupData, mode: RestoreMode): Promise<RestoreResult> {
  const data = parseBackup(raw);
  const result: RestoreResult = { users: [], folders: [], admins: [] };
  for (const f of data.folders) {
    if (await upsert(target, 'folder', f.name, mode, () => target.addFolder(f), () => target.updateFolder(f))) result.folders.push(f.name);
  }
  for (const u of data.users) {
    if (await upsert(target, 'user', u.username, mode, () => target.addUser(u), () => target.updateUser(u))) result.users.push(u.username);
  }
  for (const a of data.admins) {
    if (await upsert(target, 'admin', a.username, mode, () => target.addAdmin(a), () => target.updateAdmin(a))) result.admins.push(a.username);
  }
  return result;
}

async function upsert(
  target: RestoreTarget, kind: 'user' | 'folder' | 'admin', name: string, mode: RestoreMode,
  add: () => Promise<unknown>, update: () => Promise<unknown>,
): Promise<boolean> {
  if (!name) throw invalidInput(`backup: a ${kind} without a name`);
  if (await target.exists(kind, name)) {
    if (mode === 1) return false;
    await update();
  } else {
    await add();
  }
  return true;
}
