/**
 * Custom actions driven through a Connection with the real hook runner: a hook that hangs is killed
 * at its timeout and the pre-action is denied with a clear message; a failing or hanging post-action
 * is logged and never fails the operation.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { buildConfig } from '../../../src/config/index.js';
import { createHooks } from '../../../src/core/hooks/index.js';
import { NodeHttpClient } from '../../../src/core/httpclient/client.js';
import { download, kindOf, makeEnv, upload } from './fixture.js';

let dir = '';
before(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'actions-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

async function script(name: string, body: string): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, `#!/bin/sh\n${body}\n`);
  await chmod(p, 0o755);
  return p;
}

/** A logger whose JSON lines are kept, and hooks built from `actions`. */
function hooked(actions: { hook: string; execute_on: string[]; execute_sync?: string[] }, timeoutMs: number) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write(c, _e, cb) { lines.push(JSON.parse(c.toString())); cb(); } }));
  const config = buildConfig({ common: { actions: { execute_sync: [], ...actions } }, http: { retry_max: 0 } });
  const hooks = createHooks(config, new NodeHttpClient(config.http, dir), logger, { action: timeoutMs });
  return { lines, logger, actions: hooks.actions };
}

test('actions: a hanging pre-upload program is killed at its timeout and the upload denied', async () => {
  const hook = await script('hang.sh', 'case "$1" in pre-upload) sleep 30;; esac; exit 0');
  const h = hooked({ hook, execute_on: ['pre-upload'] }, 300);
  const env = await makeEnv({ actions: h.actions, logger: h.logger });
  try {
    const c = await env.connect();
    await assert.rejects(upload(c, '/f', 'data'), (e: Error & { kind?: string }) =>
      e.kind === 'PermissionDenied' && e.message === 'pre-upload denied by the action hook: timed out after 300 ms');
    assert.deepEqual(await readdir(env.home), [], 'nothing created');
    assert.equal(env.provider.quota.get('u:alice'), undefined, 'nothing counted');
    assert.ok(h.lines.some((l) => l.msg === 'pre-action denied the operation'));
  } finally {
    await env.cleanup();
  }
});

test('actions: a failing pre-download program denies with its exit code, nothing about the hook leaks', async () => {
  const hook = await script('deny.sh', 'echo "internal detail" >&2; exit 7');
  const h = hooked({ hook, execute_on: ['pre-download'] }, 5000);
  const env = await makeEnv({ actions: h.actions, logger: h.logger });
  try {
    const c = await env.connect();
    await upload(c, '/f', 'data');
    await assert.rejects(download(c, '/f'), (e: Error) => e.message === 'pre-download denied by the action hook: exit code 7');
  } finally {
    await env.cleanup();
  }
});

test('actions: failing and hanging post-actions (even in execute_sync) are logged, the operation succeeds', async () => {
  const hook = await script('post.sh', 'case "$1" in upload) exit 3;; delete) sleep 30;; esac');
  const h = hooked({ hook, execute_on: ['upload', 'delete'], execute_sync: ['upload', 'delete'] }, 300);
  const env = await makeEnv({ actions: h.actions, logger: h.logger });
  try {
    const c = await env.connect();
    await upload(c, '/f', 'data');
    assert.equal(await download(c, '/f'), 'data');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 4, usedFiles: 1 });
    await c.remove('/f');
    assert.equal(await kindOf(c.stat('/f')), 'NotFound');
    const failed = h.lines.filter((l) => l.msg === 'action hook failed').map((l) => l.action);
    assert.deepEqual(failed.sort(), ['delete', 'upload']);
  } finally {
    await env.cleanup();
  }
});

test('actions: an HTTP hook that never answers times out and denies the pre-action', async () => {
  const server = http.createServer(() => { /* never answers */ });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  const h = hooked({ hook: url, execute_on: ['pre-download'] }, 300);
  const env = await makeEnv({ actions: h.actions, logger: h.logger });
  try {
    const c = await env.connect();
    await upload(c, '/f', 'data');
    await assert.rejects(download(c, '/f'), (e: Error) => e.message === 'pre-download denied by the action hook: timed out after 300 ms');
  } finally {
    await env.cleanup();
    server.closeAllConnections();
    server.close();
  }
});
