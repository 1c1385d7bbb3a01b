/**
 * Version, services status, dumpdata and loaddata (INVENTORY §10). Dumps go under backups_path
 * (no `..`, mode 0600) or back as an attachment; loads read an absolute file or a body, at most 10 MB.
 */
import { FEATURES } from '../../../util/version.js';
import { mkdir, readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix } from 'node:path';
import type Router from '@koa/router';
import type { BackupData } from '../../../dataprovider/models.js';
import type { RestoreMode } from '../../../dataprovider/service-types.js';
import { validationError } from '../../../util/errors.js';
import { adminGuard } from '../auth.js';
import { parseJson, readRawBody, RESTORE_LIMIT } from '../body.js';
import { omitEmptyEmail } from '../output.js';
import { enumInt, optionalStr, requiredStr } from '../query.js';
import type { ApiContext, ApiDeps, ApiState } from '../types.js';

/** Build features reported by /version when the build info does not list them. */


export function registerMaintenanceRoutes(router: Router<ApiState>, deps: ApiDeps): void {
  const { app } = deps;
  router.get('/version', ...adminGuard(deps.tokens), (ctx: ApiContext) => {
    ctx.body = {
      version: app.build.version, build_date: app.build.buildDate, commit_hash: app.build.commit,
      features: app.build.features ?? [...FEATURES],
    };
  });
  router.get('/status', ...adminGuard(deps.tokens, 'view_status'), async (ctx: ApiContext) => {
    ctx.body = await servicesStatus(deps);
  });
  router.get('/dumpdata', ...adminGuard(deps.tokens, 'manage_system'), (ctx: ApiContext) => dumpData(deps, ctx));
  router.get('/loaddata', ...adminGuard(deps.tokens, 'manage_system'), async (ctx: ApiContext) => {
    const opts = restoreOptions(ctx);
    const file = resolveInputFile(deps, requiredStr(ctx.query, 'input-file'));
    const info = await stat(file).catch((err: unknown) => {
      throw validationError([{ field: 'input-file', message: `cannot read "${file}": ${(err as Error).message}` }]);
    });
    if (info.size > RESTORE_LIMIT) throw validationError([{ field: 'input-file', message: `file too large, max ${RESTORE_LIMIT} bytes` }]);
    await restore(deps, parseJson(await readFile(file, 'utf8')), opts);
    ctx.body = { message: 'Data restored' };
  });
  router.post('/loaddata', ...adminGuard(deps.tokens, 'manage_system'), async (ctx: ApiContext) => {
    const opts = restoreOptions(ctx);
    const raw = await readRawBody(ctx, RESTORE_LIMIT);
    await restore(deps, parseJson(raw.toString('utf8')), opts);
    ctx.body = { message: 'Data restored' };
  });
}

/** The services status document (GET /status and the web status page). */
export async function servicesStatus(deps: ApiDeps): Promise<Record<string, unknown>> {
  const { provider, core, config } = deps.app;
  let error = '';
  await provider.checkAvailability().catch((err: unknown) => { error = (err as Error).message || String(err); });
  const src = deps.servicesStatus();
  return {
    ssh: src.ssh ?? { is_active: false, bindings: null, host_keys: null, ssh_commands: config.sftpd.enabled_ssh_commands },
    ftp: src.ftp ?? { is_active: false, bindings: null, passive_port_range: config.ftpd.passive_port_range },
    webdav: src.webdav ?? { is_active: false, bindings: null },
    data_provider: { is_active: error === '', driver: provider.driver, error },
    defender: { is_active: core.defender.enabled },
  };
}

async function dumpData(deps: ApiDeps, ctx: ApiContext): Promise<void> {
  const outputData = optionalStr(ctx.query, 'output-data') === '1';
  const indent = enumInt(ctx.query, 'indent', [0, 1] as const, 0);
  const outputFile = outputData ? '' : checkOutputFile(optionalStr(ctx.query, 'output-file'));
  const text = await dumpText(deps, indent === 1);
  if (outputData) {
    ctx.set('Content-Disposition', 'attachment; filename="sftpgo-backup.json"');
    ctx.type = 'application/json';
    ctx.body = text;
    return;
  }
  const target = join(deps.backupsPath, outputFile);
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  await writeFile(target, text, { mode: 0o600 });
  await chmod(target, 0o600);
  ctx.body = { message: 'Data saved' };
}

/** The whole provider content as backup JSON (SFTPGo's shape: no empty admin email). */
export async function dumpText(deps: ApiDeps, indent: boolean): Promise<string> {
  const raw = await deps.app.data.dump();
  const dump = { ...raw, admins: raw.admins.map(omitEmptyEmail) };
  return JSON.stringify(dump, null, indent ? '  ' : undefined);
}

/** output-file: required, relative to backups_path, no `..` segments. */
export function checkOutputFile(value: string | undefined): string {
  if (!value) throw validationError([{ field: 'output-file', message: 'is required unless output-data=1' }]);
  const segments = value.split(/[\\/]+/);
  const clean = posix.normalize(value.replace(/\\/g, '/')).replace(/^\/+/, '');
  if (segments.includes('..') || clean === '' || clean === '.') {
    throw validationError([{ field: 'output-file', message: `invalid output file "${value}"` }]);
  }
  return clean;
}

function resolveInputFile(deps: ApiDeps, value: string): string {
  if (value.split(/[\\/]+/).includes('..')) throw validationError([{ field: 'input-file', message: `invalid input file "${value}"` }]);
  return isAbsolute(value) ? value : join(deps.backupsPath, value);
}

export interface RestoreOptions { mode: RestoreMode; scanQuota: 0 | 1 | 2 }

function restoreOptions(ctx: ApiContext): RestoreOptions {
  return {
    mode: enumInt(ctx.query, 'mode', [0, 1, 2] as const, 0),
    scanQuota: enumInt(ctx.query, 'scan-quota', [0, 1, 2] as const, 0),
  };
}

/** Validates and loads a backup, then disconnects (mode 2) and starts quota scans as asked. */
export async function restore(deps: ApiDeps, input: unknown, opts: RestoreOptions): Promise<void> {
  const data = deps.schemas.check<BackupData>('BackupData', input);
  const backup: BackupData = { users: data.users ?? [], folders: data.folders ?? [], admins: data.admins ?? [], version: data.version ?? 0 };
  const result = await deps.app.data.restore(backup, opts.mode);
  const { core, config } = deps.app;
  if (opts.mode === 2) for (const u of result.users) await core.connections.closeUser(u);
  if (opts.scanQuota === 0 || config.data_provider.track_quota === 0) return;
  for (const u of backup.users.filter((x) => result.users.includes(x.username))) {
    const limited = (u.quota_size ?? 0) > 0 || (u.quota_files ?? 0) > 0;
    if (opts.scanQuota === 1 || limited) await core.quotaScans.startUserScan(u.username).catch(() => undefined);
  }
  for (const f of result.folders) await core.quotaScans.startFolderScan(f).catch(() => undefined);
}
