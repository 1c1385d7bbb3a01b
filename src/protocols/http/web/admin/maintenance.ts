/**
 * Web admin maintenance (manage_system): download a backup (the same dump as GET /dumpdata with
 * output-data=1) and restore one by upload (multipart, 10 MB at most) with a restore mode (0 add
 * and update, 1 add only, 2 add/update and disconnect) and a quota scan option, through the same
 * restore function as POST /loaddata.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { validationError } from '../../../../util/errors.js';
import { RESTORE_LIMIT, parseJson } from '../../body.js';
import { dumpText, restore, type RestoreOptions } from '../../api/maintenance.js';
import type { ApiState } from '../../types.js';
import { postForm, select } from '../controls.js';
import { CSRF_FORM_FIELD } from '../csrf.js';
import { formErrorText } from '../errors.js';
import { readForm } from '../forms.js';
import { html } from '../html.js';
import { adminNav, documentHtml, errorBox, okBox, sendHtml } from '../layout.js';
import { pageCsrf, requireAdminPerm } from '../session.js';
import { adminOf, type WebContext, type WebDeps, type WebRouteContext } from '../types.js';

const MODES: [string, string][] = [['0', 'Add new and update existing'], ['1', 'Add new only'], ['2', 'Add new, update existing and disconnect updated users']];
const SCANS: [string, string][] = [['0', 'No quota scan'], ['1', 'Scan every restored user'], ['2', 'Scan restored users with quota limits']];

async function maintenancePage(ctx: WebContext, deps: WebDeps, msg: { error?: string; ok?: string } = {}, status = 200): Promise<void> {
  const p = deps.paths.admin;
  const restoreForm = postForm(p.restore, await pageCsrf(ctx, deps), html`
    <div class="field"><label for="backup_file">Backup file</label><input type="file" id="backup_file" name="backup_file" accept=".json,application/json" required></div>
    ${select('Restore mode', 'mode', MODES, '0')}${select('Quota', 'scan_quota', SCANS, '0')}
    <button type="submit">Restore</button>`, { multipart: true, id: 'restore-form' });
  const body = html`${errorBox(msg.error)}${okBox(msg.ok)}
  <div class="card"><h2>Backup</h2><p>Users, folders and admins as one JSON file (the dumpdata format).</p>
  <a class="button" id="backup-link" href="${p.backup}">Download backup</a></div>
  <div class="card"><h2>Restore</h2>${restoreForm}</div>`;
  sendHtml(ctx, documentHtml({ title: 'Maintenance', paths: deps.paths, nav: adminNav(deps.paths, adminOf(ctx), 'maintenance') }, body), status);
}

/** Restore options from the form's mode and scan_quota fields. */
export function restoreOptionsOf(fields: URLSearchParams): RestoreOptions {
  const mode = Number(fields.get('mode') ?? '0');
  const scan = Number(fields.get('scan_quota') ?? '0');
  const problems = [];
  if (![0, 1, 2].includes(mode)) problems.push({ field: 'mode', message: 'must be 0, 1 or 2' });
  if (![0, 1, 2].includes(scan)) problems.push({ field: 'scan_quota', message: 'must be 0, 1 or 2' });
  if (problems.length) throw validationError(problems);
  return { mode: mode as 0 | 1 | 2, scanQuota: scan as 0 | 1 | 2 };
}

async function restorePost(ctx: WebContext, deps: WebDeps): Promise<void> {
  let form;
  try {
    form = await readForm(ctx, RESTORE_LIMIT + 64 * 1024);
  } catch (err) {
    return maintenancePage(ctx, deps, { error: formErrorText(err) }, 400);
  }
  await deps.csrf.verify(form.fields.get(CSRF_FORM_FIELD) ?? undefined, ctx.state.ip);
  try {
    const file = form.files.get('backup_file');
    if (!file || file.data.length === 0) throw validationError([{ field: 'backup_file', message: 'choose a backup file to restore' }]);
    if (file.data.length > RESTORE_LIMIT) throw validationError([{ field: 'backup_file', message: `file too large, max ${RESTORE_LIMIT} bytes` }]);
    await restore(deps, parseJson(file.data.toString('utf8')), restoreOptionsOf(form.fields));
  } catch (err) {
    return maintenancePage(ctx, deps, { error: formErrorText(err) }, 400);
  }
  await maintenancePage(ctx, deps, { ok: 'Data restored' });
}

/** Maintenance page, backup download and restore upload. */
export function registerMaintenancePages(router: Router<ApiState>, deps: WebDeps, session: Middleware<ApiState>): void {
  const p = deps.paths.admin;
  const perm = requireAdminPerm('manage_system');
  router.get(p.maintenance, session, perm, (ctx: WebRouteContext) => maintenancePage(ctx, deps));
  router.get(p.backup, session, perm, async (ctx: WebRouteContext) => {
    const text = await dumpText(deps, true);
    ctx.set('Content-Disposition', 'attachment; filename="sftpgo-backup.json"');
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'application/json';
    ctx.body = text;
  });
  router.post(p.restore, session, perm, (ctx: WebRouteContext) => restorePost(ctx, deps));
}
