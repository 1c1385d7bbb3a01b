/**
 * The provider tools behind the CLI (INVENTORY §1.3, §10; CLI.md): initprovider, revertprovider,
 * dumpdata, loaddata and quota scans, each on a {@link DataSession}.
 */
import { readFile } from 'node:fs/promises';
import type { BackupData } from '../dataprovider/models.js';
import { parseBackup } from '../dataprovider/backup.js';
import type { RestoreMode, RestoreResult } from '../dataprovider/service-types.js';
import { invalidInput } from '../util/errors.js';
import type { DataSession } from './data-session.js';

/** SFTPGo's console message when nothing had to change. */
export const UP_TO_DATE = 'the data provider is up to date';

/** Creates the schema if missing and migrates it; says whether anything changed. */
export async function initProvider(s: DataSession): Promise<{ changed: boolean; version: number }> {
  const before = await s.provider.schemaVersion();
  await s.provider.initialize();
  const version = await s.provider.schemaVersion();
  return { changed: before !== version, version };
}

/** Reverts the schema to `version` (only 8, as SFTPGo v2.1.2). */
export async function revertProvider(s: DataSession, version: number): Promise<void> {
  if (version !== 8) throw invalidInput(`unsupported target version ${version}: 8 is the only supported one`);
  if ((await s.provider.schemaVersion()) === 0) throw invalidInput('the data provider is not initialized: nothing to revert');
  await s.provider.revert(version);
}

/** Reads and checks a dump file (SFTPGo's BackupData JSON). */
export async function readDumpFile(file: string): Promise<BackupData> {
  const text = await readFile(file, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw invalidInput(`${file} is not a valid dump: ${(err as Error).message}`);
  }
  return parseBackup(raw);
}

/** loaddata options (CLI.md): mode 0 add + update, 1 add only, 2 as 0 (no live connections here). */
export interface LoadOptions {
  mode: RestoreMode;
  /** 0 none, 1 every restored user and folder, 2 users with quota limits (folders: any value >= 1). */
  scanQuota: 0 | 1 | 2;
}

/** What a load did. */
export interface LoadResult extends RestoreResult {
  /** Users and folders whose quota was scanned ("folder:<name>" for folders). */
  scanned: string[];
}

/** Restores `dump` (folders, users, admins) and runs the requested quota scans to completion. */
export async function loadData(s: DataSession, dump: BackupData, opts: LoadOptions): Promise<LoadResult> {
  const result = await s.data.restore(dump, opts.mode);
  const scanned: string[] = [];
  if (opts.scanQuota === 0 || s.config.data_provider.track_quota === 0 || !s.core) return { ...result, scanned };
  for (const u of dump.users.filter((x) => result.users.includes(x.username))) {
    const limited = (u.quota_size ?? 0) > 0 || (u.quota_files ?? 0) > 0;
    if (opts.scanQuota === 2 && !limited) continue;
    if (await tryScan(s, { username: u.username })) scanned.push(u.username);
  }
  for (const f of result.folders) {
    if (await tryScan(s, { folder: f })) scanned.push(`folder:${f}`);
  }
  return { ...result, scanned };
}

/** A failed scan (a home not created yet) does not undo a load: it is logged, as SFTPGo does. */
async function tryScan(s: DataSession, target: ScanTarget): Promise<boolean> {
  try {
    await scanQuota(s, target);
    return true;
  } catch (err) {
    s.logger.warn({ sender: 'loaddata', ...target, err }, 'quota scan failed');
    return false;
  }
}

/** A scan's target: a user or a folder. */
export type ScanTarget = { username: string } | { folder: string };

/** Scans one user (home + folders included in its quota) or one folder and stores the usage. */
export async function scanQuota(
  s: DataSession, target: ScanTarget, onProgress?: (files: number, bytes: number) => void,
): Promise<{ files: number; size: number }> {
  if (!s.core) throw invalidInput('quota scan needs a writable data session');
  return 'folder' in target
    ? s.core.quotaScans.scanFolderNow(target.folder, onProgress)
    : s.core.quotaScans.scanUserNow(target.username, onProgress);
}
