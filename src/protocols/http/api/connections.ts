/**
 * Live connections (view_conns / close_conns) and the defender's host list, including the
 * deprecated bantime/unban/score endpoints (view_defender / manage_defender).
 */
import type Router from '@koa/router';
import type { DefenderEntry } from '../../../core/types.js';
import { notFound, validationError } from '../../../util/errors.js';
import { adminGuard } from '../auth.js';
import { readJson } from '../body.js';
import { isIp, normalizeIp } from '../ip.js';
import { requiredStr } from '../query.js';
import type { ApiContext, ApiDeps, ApiState } from '../types.js';

export function registerConnectionRoutes(router: Router<ApiState>, deps: ApiDeps): void {
  const { connections } = deps.app.core;
  router.get('/connections', ...adminGuard(deps.tokens, 'view_conns'), (ctx: ApiContext) => {
    ctx.body = connections.list();
  });
  router.delete('/connections/:connectionID', ...adminGuard(deps.tokens, 'close_conns'), async (ctx: ApiContext) => {
    await closeConnection(deps, ctx.params.connectionID ?? '');
    ctx.body = { message: 'Connection closed' };
  });
}

/** Ends a live connection by id; NotFound when there is none. */
export async function closeConnection(deps: ApiDeps, id: string): Promise<void> {
  if (!(await deps.app.core.connections.close(id))) throw notFound('connection not found');
}

/** DefenderEntry as the API shows it: score omitted for banned hosts, ban_time omitted when not banned. */
export function defenderEntryJson(e: DefenderEntry): Record<string, unknown> {
  const out: Record<string, unknown> = { id: e.id, ip: e.ip };
  if (e.banTime) out.ban_time = e.banTime.toISOString();
  else out.score = e.score ?? 0;
  return out;
}

/** Removes a host (by its id) from the defender's list; NotFound when unknown. */
export function removeDefenderHost(deps: ApiDeps, id: string): void {
  const { defender } = deps.app.core;
  const e = defender.get(id);
  if (!e || !defender.unban(e.ip)) throw notFound('host not found');
}

function ipQuery(ctx: ApiContext): string {
  const ip = requiredStr(ctx.query, 'ip');
  if (!isIp(ip)) throw validationError([{ field: 'ip', message: `invalid IP address "${ip}"` }]);
  return normalizeIp(ip);
}

export function registerDefenderRoutes(router: Router<ApiState>, deps: ApiDeps): void {
  const { defender } = deps.app.core;
  const view = adminGuard(deps.tokens, 'view_defender');
  const manage = adminGuard(deps.tokens, 'manage_defender');
  router.get('/defender/hosts', ...view, (ctx: ApiContext) => {
    ctx.body = defender.list().map(defenderEntryJson);
  });
  router.get('/defender/hosts/:id', ...view, (ctx: ApiContext) => {
    const e = defender.get(ctx.params.id ?? '');
    if (!e) throw notFound('host not found');
    ctx.body = defenderEntryJson(e);
  });
  router.delete('/defender/hosts/:id', ...manage, (ctx: ApiContext) => {
    removeDefenderHost(deps, ctx.params.id ?? '');
    ctx.body = { message: 'OK' };
  });
  router.get('/defender/bantime', ...view, (ctx: ApiContext) => {
    const ban = defender.banTime(ipQuery(ctx));
    ctx.body = { date_time: ban ? ban.toISOString() : null };
  });
  router.get('/defender/score', ...view, (ctx: ApiContext) => {
    ctx.body = { score: defender.score(ipQuery(ctx)) };
  });
  router.post('/defender/unban', ...manage, async (ctx: ApiContext) => {
    const body = deps.schemas.checkSchema<{ ip?: string }>('unban', { type: 'object', properties: { ip: { type: 'string' } } }, await readJson(ctx));
    const ip = body.ip ?? '';
    if (!isIp(ip)) throw validationError([{ field: 'ip', message: `invalid IP address "${ip}"` }]);
    if (!defender.unban(normalizeIp(ip))) throw notFound('host not found');
    ctx.body = { message: 'OK' };
  });
}
