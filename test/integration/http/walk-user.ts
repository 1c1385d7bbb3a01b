/**
 * User-API steps of the OpenAPI walk, the auth sweeps (401 without credentials and 403 from a
 * banned address, for every operation) and the final deletes and logout.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Spec } from './spec.js';
import type { WalkCtx } from './walk-admin.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPVILdH2u3yV5SAeE6XksD1z1vXRg0E4hJUov8ITDAZ2 user@host';

export async function walkUserApi({ w, h }: WalkCtx): Promise<void> {
  const home = join(h.dir, 'home');
  await mkdir(join(home, 'sub'), { recursive: true });
  await writeFile(join(home, 'a.txt'), 'hello range world');
  await writeFile(join(home, 'sub', 'b.txt'), 'bbb');
  const res = await w.call('get_user_token', '/user/token', 200, { basic: ['walker', 'pw'] });
  const ut = { token: ((await res.json()) as { access_token: string }).access_token };
  await w.call('get_user_public_keys', '/user/publickeys', 200, ut);
  await w.call('set_user_public_keys', '/user/publickeys', 200, { ...ut, body: [KEY] });
  assert.deepEqual(await (await w.call('get_user_public_keys', '/user/publickeys', 200, ut)).json(), [KEY]);
  await w.call('set_user_public_keys', '/user/publickeys', 400, { ...ut, body: ['not a key'] });
  await w.call('set_user_public_keys', '/user/publickeys', 400, { ...ut, body: { keys: [KEY] } });
  await w.call('change_user_password', '/user/changepwd', 200, { ...ut, body: { current_password: 'pw', new_password: 'pw-new' } });
  await w.call('change_user_password', '/user/changepwd', 400, { ...ut, body: { current_password: 'wrong', new_password: 'pw2' } });
  const entries = (await (await w.call('get_user_folder_contents', '/user/folder?path=%2F', 200, ut)).json()) as { name: string; mode: number; size?: number }[];
  assert.deepEqual(entries.map((e) => e.name).sort(), ['a.txt', 'hold-scan', 'sub', 'vf1']);
  const sub = entries.find((e) => e.name === 'sub')!;
  assert.ok((sub.mode & 2147483648) !== 0 && sub.size === undefined, 'dir bit set, no size');
  assert.equal(entries.find((e) => e.name === 'a.txt')!.size, 17);
  await w.call('get_user_folder_contents', '/user/folder', 200, ut);
  await w.call('get_user_folder_contents', '/user/folder?path=%2Fa.txt', 400, ut);
  assert.equal(await (await w.call('get_user_file', '/user/file?path=%2Fa.txt', 200, ut)).text(), 'hello range world');
  const part = await w.call('get_user_file', '/user/file?path=%2Fa.txt', 206, { ...ut, headers: { range: 'bytes=6-10' } });
  assert.equal(await part.text(), 'range');
  assert.equal(part.headers.get('content-range'), 'bytes 6-10/17');
  await w.call('get_user_file', '/user/file?path=%2Fsub', 400, ut);
  await w.call('get_user_file', '/user/file', 400, ut);
  await w.call('get_user_file', '/user/file?path=%2Fmissing', 404, ut);
  await w.call('streamzip', '/user/streamzip', 200, { ...ut, body: ['/a.txt', '/sub'] });
  await w.call('streamzip', '/user/streamzip', 400, { ...ut, body: [] });
  await w.call('streamzip', '/user/streamzip', 400, { ...ut, raw: '["/a.txt"' });
  await h.data.updateUser({ ...(await h.data.getUser('walker')), filters: { denied_protocols: ['HTTP'] } });
  await w.call('get_user_folder_contents', '/user/folder', 403, ut);
  await h.data.updateUser({ ...(await h.data.getUser('walker')), filters: {} });
  await w.call('client_logout', '/user/logout', 200, ut);
  await w.call('get_user_public_keys', '/user/publickeys', 401, ut);
  await w.call('client_logout', '/user/logout', 401, ut);
}

/** A concrete URL for any operation (path parameters filled with harmless values). */
function sampleUrl(path: string): string {
  return path.replace(/\{[^}]+\}/g, 'x');
}

/** 401 for every operation without credentials (or with bad Basic ones), except /healthz. */
export async function sweepUnauthenticated({ w }: WalkCtx, spec: Spec): Promise<void> {
  for (const op of spec.operations) {
    if (op.operationId === 'healthz') continue;
    const basicOp = op.operationId === 'get_token' || op.operationId === 'get_user_token';
    await w.call(op.operationId, sampleUrl(op.path), 401, basicOp ? { basic: ['nobody', 'nothing'] } : {});
  }
}

/**
 * 403 for every operation from a banned address (the binding trusts 127.0.0.1 as a proxy, so
 * X-Forwarded-For sets the client address): the ban check runs before authentication.
 */
export async function sweepBanned({ w, h, t }: WalkCtx, spec: Spec): Promise<void> {
  const ip = '203.0.113.9';
  for (let i = 0; i < 20 && !h.core.defender.isBanned(ip); i++) h.core.defender.addEvent(ip, 'login_failed');
  assert.ok(h.core.defender.isBanned(ip));
  for (const op of spec.operations) {
    if (op.operationId === 'healthz') continue;
    await w.call(op.operationId, sampleUrl(op.path), 403, { ...t, headers: { 'x-forwarded-for': ip } });
  }
  assert.ok(h.core.defender.unban(ip));
}

export async function walkDeletes({ w, h, t }: WalkCtx, t2: { token: string }): Promise<void> {
  await h.core.connections.open({ protocol: 'FTP', user: await h.data.getUser('walker'), remote: { ip: '10.1.1.3', port: 1 } });
  await w.call('delete_user', '/users/walker', 200, t);
  assert.equal(h.core.connections.countUser('walker'), 0, 'deleting a user ends its sessions');
  await w.call('delete_user', '/users/walker', 404, t);
  await w.call('delete_folder', '/folders/f1', 200, t);
  await w.call('delete_folder', '/folders/f1', 404, t);
  await w.call('delete_admin', '/admins/admin', 400, t);
  await w.call('delete_admin', '/admins/adm2', 200, t);
  await w.call('delete_admin', '/admins/adm2', 404, t);
  await w.call('logout', '/logout', 200, t2);
  await w.call('logout', '/logout', 401, t2);
  await w.call('get_version', '/version', 401, t2);
  await w.call('get_version', '/version', 200, t);
  assert.equal((await h.data.listUsers({ limit: 10, offset: 0, order: 'ASC' })).map((u) => u.username).join(), 'cryptic');
}
