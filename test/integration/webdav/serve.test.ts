/**
 * `serve` with the production wiring: the WebDAV server is registered, a user created through
 * the REST API logs in over WebDAV (real login pipeline, real sqlite provider), and dead
 * properties stored in the sqlite provider survive a restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { ManagedService } from '../../../src/app/lifecycle.js';
import { runServe } from '../../../src/app/serve.js';
import { needsBinaries } from '../../helpers/require.js';
import { curl } from './harness.js';

interface Running {
  dav: string;
  api: string;
  stop(): Promise<number>;
}

async function serve(dir: string): Promise<Running> {
  const signals = new EventEmitter();
  let ready: ManagedService[] = [];
  const done = runServe({
    stdout: new PassThrough(), stderr: new PassThrough(), env: {}, signals, ephemeral: true, graceMs: 100,
    build: { version: '2.1.2', commit: 'test', buildDate: '' }, onReady: (s) => { ready = s; },
  }, { configDir: dir, configFile: 'sftpgo.json', logFilePath: path.join(dir, 'sftpgo.log') });
  for (let i = 0; i < 500 && ready.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  const url = (name: string) => (ready.find((s) => s.name === name)!.addresses()[0] as { url: string }).url;
  return {
    dav: `${url('WebDAV')}/dav/`, api: `${url('HTTP')}/api/v2`,
    async stop() {
      signals.emit('SIGTERM', 'SIGTERM');
      return done;
    },
  };
}

const PROPPATCH = '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><c:color xmlns:c="urn:test">teal</c:color></D:prop></D:set></D:propertyupdate>';
const PROPFIND = '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><c:color xmlns:c="urn:test"/></D:prop></D:propfind>';

test('serve starts WebDAV with the real core; dead properties persist in sqlite across restarts', needsBinaries('curl'), async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-dav-serve-'));
  await writeFile(path.join(dir, 'sftpgo.json'), JSON.stringify({
    sftpd: { bindings: [{ port: 0 }] },
    data_provider: { driver: 'sqlite', name: 'sftpgo.db', create_default_admin: true },
    httpd: { bindings: [{ address: '127.0.0.1', port: 8080, enable_web_admin: false, enable_web_client: false }] },
    webdavd: { bindings: [{ address: '127.0.0.1', port: 10080, prefix: '/dav' }] },
  }));
  let s: Running | undefined;
  try {
    s = await serve(dir);
    const token = JSON.parse((await curl(['-u', 'admin:password', `${s.api}/token`])).body) as { access_token: string };
    const auth = ['-H', `Authorization: Bearer ${token.access_token}`];
    const created = await curl([...auth, '-H', 'Content-Type: application/json', '--data', JSON.stringify({
      username: 'dave', password: 'dave-pw', status: 1, home_dir: path.join(dir, 'dave'), permissions: { '/': ['*'] },
    }), `${s.api}/users`]);
    assert.equal(created.status, 201, created.body);
    const dave = ['-u', 'dave:dave-pw'];
    await writeFile(path.join(dir, 'f.txt'), 'content');
    assert.equal((await curl([...dave, '-T', path.join(dir, 'f.txt'), `${s.dav}f.txt`])).status, 201);
    const patched = await curl([...dave, '-X', 'PROPPATCH', '--data', PROPPATCH, `${s.dav}f.txt`]);
    assert.equal(patched.status, 207);
    assert.match(patched.body, /HTTP\/1.1 200 OK/);
    assert.equal((await s.stop()), 0);

    s = await serve(dir);
    const found = await curl([...dave, '-X', 'PROPFIND', '-H', 'Depth: 0', '--data', PROPFIND, `${s.dav}f.txt`]);
    assert.equal(found.status, 207);
    assert.match(found.body, /<color xmlns="urn:test">teal<\/color>/);
    assert.match(found.body, /<D:href>\/dav\/f.txt<\/D:href>/);
  } finally {
    await s?.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
