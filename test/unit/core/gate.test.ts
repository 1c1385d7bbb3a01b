import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { buildConfig, type Config, type DeepPartial } from '../../../src/config/index.js';
import { MemoryDefender } from '../../../src/core/defender/defender.js';
import { Gate } from '../../../src/core/gate/gate.js';
import { RateLimiters } from '../../../src/core/ratelimit/ratelimiter.js';
import { ErrorKind, isSftpGoError, RateLimitedError } from '../../../src/util/errors.js';

const logger = pino({ level: 'silent' });

async function gate(common: DeepPartial<Config>['common'], postConnect?: (ip: string) => Promise<void>, established?: () => number) {
  const config = buildConfig({ common: { defender: { enabled: true, threshold: 7 }, ...common } });
  const defender = await MemoryDefender.create({ config: config.common.defender, configDir: '/', logger });
  const limiters = new RateLimiters(config.common.rate_limiters);
  return { defender, gate: new Gate({ config: config.common, defender, limiters, logger, postConnect, establishedConnections: established }) };
}

const kind = (k: string) => (e: unknown) => isSftpGoError(e) && e.kind === k;

test('per-host limit: refused beyond max_per_host_connections with a defender event; release frees the slot', async () => {
  const { gate: g, defender } = await gate({ max_per_host_connections: 2 });
  const r1 = await g.accept('10.0.0.1', 'SSH');
  const r2 = await g.accept('10.0.0.1', 'SSH');
  await assert.rejects(g.accept('10.0.0.1', 'SSH'), kind(ErrorKind.Unavailable));
  assert.equal(defender.score('10.0.0.1'), 3);
  await (await g.accept('10.0.0.2', 'FTP'))();
  r1();
  r1(); // idempotent
  assert.equal(g.clientsFrom('10.0.0.1'), 1);
  const r3 = await g.accept('10.0.0.1', 'SSH');
  r2();
  r3();
  assert.equal(g.activeClients, 0);
});

test('max_total_connections and banned hosts', async () => {
  const { gate: g, defender } = await gate({ max_total_connections: 1, max_per_host_connections: 0 });
  const r = await g.accept('10.0.0.1', 'DAV');
  await assert.rejects(g.accept('10.0.0.2', 'DAV'), kind(ErrorKind.Unavailable));
  r();
  for (let i = 0; i < 4; i++) defender.addEvent('10.0.0.3', 'user_not_found');
  await assert.rejects(g.accept('10.0.0.3', 'SSH'), kind(ErrorKind.PermissionDenied));
  assert.equal(g.activeClients, 0);
});

test('SFTPGo\'s order: a banned host over the connection limits is refused for the limits first', async () => {
  const { gate: g, defender } = await gate({ max_total_connections: 1, max_per_host_connections: 0 });
  for (let i = 0; i < 4; i++) defender.addEvent('10.0.0.9', 'user_not_found');
  const r = await g.accept('10.0.0.1', 'DAV');
  await assert.rejects(g.accept('10.0.0.9', 'DAV'), kind(ErrorKind.Unavailable));
  r();
  await assert.rejects(g.accept('10.0.0.9', 'DAV'), kind(ErrorKind.PermissionDenied));
  assert.equal(g.activeClients, 0);
});

test('rate limiter and post-connect hook rejections', async () => {
  const { gate: g } = await gate({
    rate_limiters: [{ average: 1, period: 10_000, burst: 1, type: 2, protocols: ['FTP'] }],
  }, async (ip) => { if (ip === '10.6.6.6') throw new Error('no'); });
  (await g.accept('10.0.0.1', 'FTP'))();
  await assert.rejects(g.accept('10.0.0.1', 'FTP'), kind(ErrorKind.Unavailable));
  (await g.accept('10.0.0.1', 'SSH'))();
  await assert.rejects(g.accept('10.6.6.6', 'SSH'), kind(ErrorKind.PermissionDenied));
  assert.equal(g.activeClients, 0);
});

test('max_total_connections also counts established connections (several channels on one client)', async () => {
  let established = 0;
  const { gate: g } = await gate({ max_total_connections: 3, max_per_host_connections: 0 }, undefined, () => established);
  const r = await g.accept('10.0.0.1', 'SSH');
  established = 3; // one SSH client opened three SFTP channels
  await assert.rejects(g.accept('10.0.0.2', 'SSH'), (e: Error) => kind(ErrorKind.Unavailable)(e) && /3\/3/.test(e.message));
  established = 2;
  (await g.accept('10.0.0.2', 'SSH'))();
  r();
  const { gate: unlimited } = await gate({ max_total_connections: 0, max_per_host_connections: 0 }, undefined, () => 1000);
  (await unlimited.accept('10.0.0.3', 'FTP'))();
});

test('every refusal releases its slot; a ban is extended by each attempt', async () => {
  const { gate: g, defender } = await gate({ max_per_host_connections: 1 });
  for (let i = 0; i < 4; i++) defender.addEvent('10.0.0.4', 'user_not_found');
  const first = defender.banTime('10.0.0.4')!.getTime();
  await assert.rejects(g.accept('10.0.0.4', 'SSH'), kind(ErrorKind.PermissionDenied));
  assert.ok(defender.banTime('10.0.0.4')!.getTime() > first, 'attempt from a banned host extends the ban');
  assert.equal(g.clientsFrom('10.0.0.4'), 0);
  assert.equal(g.activeClients, 0);
});

test('a rate limiter refusal carries the wait; postConnect:false admits without the hook, which runs alone on demand', async () => {
  let hooks = 0;
  const { gate: g } = await gate({
    rate_limiters: [{ average: 1, period: 10_000, burst: 1, type: 2, protocols: ['HTTP'] }],
  }, async () => { hooks++; throw new Error('no'); });
  (await g.accept('10.0.0.1', 'HTTP', { postConnect: false }))();
  assert.equal(hooks, 0);
  const refusal = await g.accept('10.0.0.1', 'HTTP', { postConnect: false }).catch((e: unknown) => e);
  assert.ok(refusal instanceof RateLimitedError);
  assert.equal(refusal.kind, ErrorKind.Unavailable);
  assert.ok(refusal.retryAfterMs > 9000 && refusal.retryAfterMs <= 10_000, String(refusal.retryAfterMs));
  await assert.rejects(g.postConnect('10.0.0.1', 'HTTP'), kind(ErrorKind.PermissionDenied));
  assert.equal(hooks, 1);
  assert.equal(g.activeClients, 0);
});
