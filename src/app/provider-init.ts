/**
 * Data provider start-up steps of `serve` (INVENTORY §1.1, §2.5, §10): schema initialize/migrate
 * when update_mode = 0, the default admin (admin/password, all permissions) when asked and none
 * exists, and the `--loaddata-from` import (max 10 MB; mode 0/1; optional quota scans and clean).
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import type { CoreServices } from './context.js';
import type { BackupData } from '../dataprovider/models.js';
import type { DataService } from '../dataprovider/service-types.js';
import type { DataProvider } from '../dataprovider/types.js';
import { parseBackup } from '../dataprovider/backup.js';
import { invalidInput } from '../util/errors.js';
import { checkHookPrograms } from '../core/index.js';

/** Largest dump accepted at start (SFTPGo's limit). */
export const LOADDATA_MAX_BYTES = 10 * 1024 * 1024;

/** `--loaddata-*` flags of serve. */
export interface LoadDataOptions {
  /** Absolute path of a dump; "" = none. */
  from: string;
  /** 0 add + update, 1 add only (2 is not accepted at start). */
  mode: number;
  /** 0 none, 1 all imported, 2 users with quota limits (folders: any value >= 1). */
  scan: number;
  clean: boolean;
}

/** Start-up: schema, the provider's dump file (memory provider), the default admin when asked. */
export async function prepareProvider(provider: DataProvider, data: DataService, config: Config, logger: Logger): Promise<void> {
  // The provider's login hooks must be runnable before anyone logs in (SFTPGo checks them here too).
  const dp = config.data_provider;
  await checkHookPrograms({
    'data_provider.pre_login_hook': dp.pre_login_hook, 'data_provider.external_auth_hook': dp.external_auth_hook,
    'data_provider.post_login_hook': dp.post_login_hook, 'data_provider.check_password_hook': dp.check_password_hook,
  });
  if (config.data_provider.update_mode === 0) await provider.initialize();
  await loadProviderDump(provider, data, logger);
  if (config.data_provider.create_default_admin && (await provider.admins.count()) === 0) {
    await data.addAdmin({ username: 'admin', password: 'password', status: 1, permissions: ['*'] });
    logger.info('default admin "admin" created: change its password');
  }
}

/**
 * Loads the provider's dump file (memory provider with `data_provider.name`), replacing every
 * record, through the data service as SFTPGo does: passwords in clear text get hashed, secrets
 * sealed. Runs at start and on SIGHUP. The file must hold 1 byte to 10 MB.
 */
export async function loadProviderDump(provider: DataProvider, data: DataService, logger: Logger): Promise<void> {
  const file = provider.dumpFile;
  if (!file || !provider.clear) return;
  const info = await stat(file);
  if (info.size === 0 || info.size > LOADDATA_MAX_BYTES) throw invalidInput(`dump file ${file}: the size must be between 1 byte and 10 MB`);
  let dump: BackupData;
  try {
    dump = parseBackup(JSON.parse(await readFile(file, 'utf8')));
  } catch (err) {
    throw invalidInput(`dump file ${file} is not valid: ${(err as Error).message}`);
  }
  await provider.clear();
  await data.restore(dump, 0);
  logger.info({ sender: 'dataprovider', file, users: dump.users.length, folders: dump.folders.length, admins: dump.admins.length }, 'dump file loaded');
}

/** Imports `--loaddata-from`: admins, then folders, then users (the CLI order of v2.1.2). */
export async function loadInitialData(opts: LoadDataOptions, data: DataService, core: Pick<CoreServices, 'quotaScans'>, config: Config, logger: Logger): Promise<void> {
  if (!opts.from) return;
  if (!isAbsolute(opts.from)) throw invalidInput(`loaddata-from: "${opts.from}" must be an absolute path`);
  if (opts.mode !== 0 && opts.mode !== 1) throw invalidInput(`loaddata-mode: ${opts.mode} is not valid, use 0 or 1`);
  const info = await stat(opts.from);
  if (info.size > LOADDATA_MAX_BYTES) throw invalidInput(`loaddata-from: "${opts.from}" is too large (max 10 MB)`);
  let dump: BackupData;
  try {
    dump = JSON.parse(await readFile(opts.from, 'utf8')) as BackupData;
  } catch (err) {
    throw invalidInput(`loaddata-from: "${opts.from}" is not a valid dump: ${(err as Error).message}`);
  }
  const mode = opts.mode as 0 | 1;
  await data.restore({ users: [], folders: [], admins: dump.admins ?? [], version: dump.version }, mode);
  await data.restore({ users: [], folders: dump.folders ?? [], admins: [], version: dump.version }, mode);
  const res = await data.restore({ users: dump.users ?? [], folders: [], admins: [], version: dump.version }, mode);
  logger.info({ file: opts.from, users: dump.users?.length ?? 0, folders: dump.folders?.length ?? 0, admins: dump.admins?.length ?? 0 }, 'data loaded');
  if (opts.scan > 0 && config.data_provider.track_quota !== 0) {
    for (const u of dump.users ?? []) {
      const limited = (u.quota_size ?? 0) > 0 || (u.quota_files ?? 0) > 0;
      if (res.users.includes(u.username) && (opts.scan === 1 || limited)) await core.quotaScans.startUserScan(u.username).catch(() => undefined);
    }
    for (const f of dump.folders ?? []) await core.quotaScans.startFolderScan(f.name).catch(() => undefined);
  }
  if (opts.clean) await rm(opts.from, { force: true });
}
