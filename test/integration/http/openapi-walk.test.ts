/**
 * Walks every operation of openapi.yaml against a running server built like `serve` builds it
 * (sql.js provider, real DataService and core), through Stoplight Prism in proxy mode, which
 * validates each real response against the spec. The walk fails on any response violation, on
 * unknown field names, on leaked secrets, when an operationId of the spec was not called, and
 * when a documented status was never answered (unless listed below as unreachable, with why).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.js';
import { startPrisms, type Prism } from './prism.js';
import { loadSpec, StrictResponses } from './spec.js';
import { Walker } from './walker.js';
import { walkAdmins, walkConnections, walkDefender, walkFolders, walkMaintenance, walkQuota, walkTokensAndVersion, walkUsers, type WalkCtx } from './walk-admin.js';
import { sweepBanned, sweepUnauthenticated, walkDeletes, walkUserApi } from './walk-user.js';

/** Documented statuses the server cannot answer, and why. 500 is walked once (see the end). */
const UNREACHABLE: Record<string, string> = {
  'get_defender_hosts 404': 'the host list answers [] when empty, as SFTPGo does',
  'get_ban_time 404': 'an unknown host answers {"date_time": null}, as SFTPGo does',
  'get_score 404': 'an unknown host answers {"score": 0}, as SFTPGo does',
  'get_folder_by_name 400': 'the only input is the name: a missing folder is 404',
  'delete_folder 400': 'the only input is the name: a missing folder is 404',
  'get_admin_by_username 400': 'the only input is the name: a missing admin is 404',
  'get_user_by_username 400': 'the only input is the name: a missing user is 404',
  'delete_user 400': 'the only input is the name: a missing user is 404',
  'start_user_quota_scan 400': 'the only input is the name: a missing user is 404',
  'start_folder_quota_scan 400': 'the only input is the name: a missing folder is 404',
  'get_status 400': 'no input',
  'get_user_public_keys 400': 'no input',
};

const spec = loadSpec();
let h: Harness;
let api: Prism;
let root: Prism;
let w: Walker;

before(async () => {
  h = await startHarness({ httpd: { bindings: [{ address: '127.0.0.1', port: 8080, enable_web_admin: false, enable_web_client: false, proxy_allowed: ['127.0.0.1'] }] } });
  // The spec's server URL is /api/v2 (LIBS.md): paths are sent without it, the upstream has it.
  [api, root] = await startPrisms([`${h.base}/api/v2`, h.base]) as [Prism, Prism];
  w = new Walker(spec, new StrictResponses(spec), { api, root, direct: `${h.base}/api/v2` });
});
after(async () => {
  await Promise.all([api?.stop(), root?.stop()]);
  await h?.close();
});

test('every operation answers as the spec says', { timeout: 600_000 }, async () => {
  const t = await walkTokensAndVersion(w);
  const ctx: WalkCtx = { w, h, t };
  await walkFolders(ctx);
  await walkUsers(ctx);
  const t2 = await walkAdmins(ctx);
  await walkConnections(ctx);
  await walkDefender(ctx);
  await walkQuota(ctx);
  await walkMaintenance(ctx);
  await walkUserApi(ctx);
  await sweepUnauthenticated(ctx, spec);
  await sweepBanned(ctx, spec);
  await walkDeletes(ctx, t2);
  // A server fault: the provider goes away under a running server; the error is still an ApiResponse.
  await h.app.provider.close();
  await w.call('get_users', '/users', 500, t);
  assert.deepEqual(w.problems, [], `problems:\n${JSON.stringify(w.problems, null, 1)}`);
});

test('every operationId of the spec was called', () => {
  assert.equal(spec.operations.length, 53);
  assert.deepEqual(spec.operations.map((o) => o.operationId).filter((id) => !w.seen.has(id)), []);
});

test('every documented status of every operation was answered, or is listed as unreachable', () => {
  const missing: string[] = [];
  for (const op of spec.operations) {
    for (const status of op.statuses) {
      const key = `${op.operationId} ${status}`;
      if (w.seen.get(op.operationId)?.has(Number(status)) || UNREACHABLE[key]) continue;
      if (status === '500' && op.operationId !== 'get_users') continue;
      missing.push(key);
    }
  }
  assert.deepEqual(missing, []);
  for (const key of Object.keys(UNREACHABLE)) {
    const [id, status] = key.split(' ');
    assert.ok(spec.byId.get(id!)?.statuses.includes(status!), `${key} is not documented: drop it from UNREACHABLE`);
    assert.ok(!w.seen.get(id!)?.has(Number(status)), `${key} was answered: drop it from UNREACHABLE`);
  }
});
