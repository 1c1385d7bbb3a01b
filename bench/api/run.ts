/**
 * REST API benchmark (autocannon): admin token, list users (limit 100) with 10,000 users stored,
 * get one user. Prints requests/s and p99 latency per scenario.
 *
 * Data layer: the in-memory fakes of test/integration/http (so this measures the HTTP stack:
 * Koa, routing, JWT verify, validation, JSON), and the fake password check is a string compare
 * (the real bcrypt verify dominates /token in production).
 * Run: node --import tsx bench/api/run.ts [seconds]
 */
import { createRequire } from 'node:module';
import { startHarness } from '../../test/integration/http/harness.js';

const require = createRequire(import.meta.url);
// autocannon ships no types; only the result fields used here are declared.
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<{ requests: { average: number }; latency: { p99: number }; non2xx: number; errors: number }>;

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const h = await startHarness();
  for (let i = 0; i < 10_000; i++) {
    await h.data.addUser({ username: `user${String(i).padStart(5, '0')}`, password: 'pw', status: 1, home_dir: `/srv/u${i}`, permissions: { '/': ['*'] } });
  }
  const token = await h.adminToken();
  const scenarios: [string, Record<string, unknown>][] = [
    ['GET /api/v2/token', { url: `${h.base}/api/v2/token`, headers: { authorization: h.basic('admin', 'password') } }],
    ['GET /api/v2/users?limit=100 (10k users)', { url: `${h.base}/api/v2/users?limit=100&offset=5000`, headers: { authorization: `Bearer ${token}` } }],
    ['GET /api/v2/users/{username}', { url: `${h.base}/api/v2/users/user04242`, headers: { authorization: `Bearer ${token}` } }],
  ];
  console.log(`node ${process.version}, ${seconds}s per scenario, 10 connections`);
  for (const [name, opts] of scenarios) {
    const r = await autocannon({ ...opts, connections: 10, duration: seconds });
    console.log(`${name}: ${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`);
  }
  await h.close();
}

void main();
