/**
 * The outgoing HTTP client over TLS (INVENTORY §2.8): an unknown CA is refused, `ca_certificates`
 * makes it trusted, `skip_tls_verify` accepts anything, `certificates` presents a client certificate.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { buildConfig } from '../../../src/config/index.js';
import type { HttpClientConfig } from '../../../src/config/types.js';
import { NodeHttpClient } from '../../../src/core/httpclient/client.js';
import { hasBinary, needsBinaries } from '../../helpers/require.js';

let dir = '';
let url = '';
let server: https.Server | undefined;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA. */
async function makePki(): Promise<void> {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=Test CA', '-days', '2');
  await writeFile(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const [name, cn, ext] of [['server', '127.0.0.1', ['-extfile', 'san.ext']], ['client', 'hook-client', []]] as const) {
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', ...ext);
  }
}

before(async () => {
  if (!hasBinary('openssl')) return;
  dir = await mkdtemp(path.join(os.tmpdir(), 'httptls-'));
  await makePki();
  const read = (f: string) => readFile(path.join(dir, f));
  server = https.createServer({
    key: await read('server.key'), cert: await read('server.crt'), ca: await read('ca.crt'), requestCert: true, rejectUnauthorized: false,
  }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    res.end(peer?.subject?.CN ?? 'anonymous');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `https://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
});

after(async () => {
  if (server) {
    server.closeAllConnections();
    server.close();
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

function client(over: Partial<HttpClientConfig>): NodeHttpClient {
  return new NodeHttpClient({ ...buildConfig().http, retry_max: 0, ...over }, dir);
}

test('http client TLS: unknown CA refused, ca_certificates trusted, skip_tls_verify accepted', needsBinaries('openssl'), async () => {
  const plain = client({});
  await assert.rejects(plain.request({ method: 'GET', url }), /self.signed|unable to (get|verify)|certificate/i);
  plain.close();
  const trusted = client({ ca_certificates: ['ca.crt'] });
  const r = await trusted.request({ method: 'GET', url });
  assert.equal(r.status, 200);
  assert.equal(r.body.toString(), 'anonymous');
  trusted.close();
  const skip = client({ skip_tls_verify: true });
  assert.equal((await skip.request({ method: 'GET', url })).status, 200);
  skip.close();
});

test('http client TLS: a client certificate is presented for mutual TLS', needsBinaries('openssl'), async () => {
  const c = client({ ca_certificates: ['ca.crt'], certificates: [{ cert: 'client.crt', key: 'client.key' }] });
  const r = await c.request({ method: 'POST', url, body: '{}' });
  assert.equal(r.body.toString(), 'hook-client');
  c.close();
});
