/**
 * REST API benchmark (autocannon, 10 connections): admin token (Basic + bcrypt cost 10, as
 * production), list users (limit 100, offset 5000) with 10,000 users stored, get one user. Runs on
 * the production stack (DataService + core) for the sql.js provider and for the memory provider,
 * beside a reference: a bare node:http server answering the same bytes (the token route does the
 * same bcrypt check), so each ratio shows what routing, JWT, validation and the provider cost.
 * Prints requests/s and p99 latency per scenario, and ours/reference ratios.
 * Run: node --import tsx bench/api/run.ts [seconds]
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import bcrypt from 'bcryptjs';
import { startHarness, type Harness } from '../../test/integration/http/harness.js';

const require = createRequire(import.meta.url);
interface Result { requests: { average: number }; latency: { p99: number }; non2xx: number; errors: number }
// autocannon ships no types; only the result fields used here are declared.
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<Result>;

const USERS = 10_000;
const name = (i: number) => `user${String(i).padStart(5, '0')}`;

/** 10,000 users, added in concurrent batches so sql.js flushes once per batch; one bcrypt hash for all. */
async function seed(h: Harness): Promise<void> {
  const hash = await bcrypt.hash('pw', 10);
  for (let i = 0; i < USERS; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, USERS - i) }, (_, k) => h.data.addUser({
      username: name(i + k), password: hash, status: 1, home_dir: `/srv/sftpgo/${name(i + k)}`, permissions: { '/': ['*'] },
    })));
  }
}

interface Target { label: string; base: string; token: string; basic: string; close(): Promise<void> }

async function ours(driver: 'sqlite' | 'memory'): Promise<Target> {
  const h = await startHarness({ data_provider: { password_hashing: { bcrypt_options: { cost: 10 } } } }, { driver });
  await seed(h);
  return { label: driver === 'sqlite' ? 'sftpgo (sql.js)' : 'sftpgo (memory)', base: h.base, token: await h.adminToken(), basic: h.basic('admin', 'password'), close: () => h.close() };
}

/** The same response bytes from a bare server: no routing framework, no JWT, no provider. */
async function reference(sample: Target): Promise<Target> {
  const get = async (path: string) => Buffer.from(await (await fetch(`${sample.base}${path}`, { headers: { authorization: `Bearer ${sample.token}` } })).arrayBuffer());
  const list = await get('/api/v2/users?limit=100&offset=5000');
  const one = await get(`/api/v2/users/${name(4242)}`);
  const tokenBody = Buffer.from(JSON.stringify({ access_token: sample.token, expires_at: new Date().toISOString() }));
  const adminHash = await bcrypt.hash('password', 10);
  const send = (res: import('node:http').ServerResponse, body: Buffer) => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }); res.end(body); };
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/api/v2/token')) void bcrypt.compare('password', adminHash).then(() => send(res, tokenBody));
    else send(res, req.url?.startsWith('/api/v2/users?') ? list : one);
  });
  server.on('connection', (s) => s.setNoDelay(true));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { label: 'reference (bare node:http)', base, token: sample.token, basic: sample.basic, close: () => new Promise((r) => server.close(() => r())) };
}

const SCENARIOS: [string, (t: Target) => Record<string, unknown>][] = [
  ['GET /api/v2/token', (t) => ({ url: `${t.base}/api/v2/token`, headers: { authorization: t.basic } })],
  [`GET /api/v2/users?limit=100 (${USERS} users)`, (t) => ({ url: `${t.base}/api/v2/users?limit=100&offset=5000`, headers: { authorization: `Bearer ${t.token}` } })],
  ['GET /api/v2/users/{username}', (t) => ({ url: `${t.base}/api/v2/users/${name(4242)}`, headers: { authorization: `Bearer ${t.token}` } })],
];

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  console.log(`node ${process.version}, ${seconds}s per scenario, 10 connections, ${USERS} users`);
  const sqlite = await ours('sqlite');
  const targets = [sqlite, await ours('memory'), await reference(sqlite)];
  const results = new Map<string, Result>();
  for (const [scenario, opts] of SCENARIOS) {
    for (const t of targets) {
      const r = await autocannon({ ...opts(t), connections: 10, duration: seconds });
      results.set(`${scenario}|${t.label}`, r);
      console.log(`${scenario} | ${t.label}: ${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`);
    }
    const ref = results.get(`${scenario}|${targets[2]!.label}`)!;
    for (const t of targets.slice(0, 2)) {
      const r = results.get(`${scenario}|${t.label}`)!;
      console.log(`  ratio ${t.label} / reference: ${(r.requests.average / ref.requests.average).toFixed(2)}x req/s, ${(r.latency.p99 / Math.max(1, ref.latency.p99)).toFixed(2)}x p99`);
    }
  }
  for (const t of targets) await t.close();
  const bad = [...results.values()].some((r) => r.non2xx > 0 || r.errors > 0);
  if (bad) process.exitCode = 1;
}

void main();
