import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { buildConfig, type Config, type DeepPartial } from '../../../src/config/index.js';
import { MemoryDefender } from '../../../src/core/defender/defender.js';
import { Gate } from '../../../src/core/gate/gate.js';
import { RateLimiters } from '../../../src/core/ratelimit/ratelimiter.js';
import { ErrorKind, isSftpGoError } from '../../../src/util/errors.js';

const logger = pino({ level: 'silent' });

async function gate(common: DeepPartial<Config>['common'], postConnect?: (ip: string) => Promise<void>) {
  const config = buildConfig({ common: { defender: { enabled: true, threshold: 7 }, ...common } });
  const defender = await MemoryDefender.create({ config: config.common.defender, configDir: '/', logger });
  const limiters = new RateLimiters(config.common.rate_limiters);
  return { defender, gate: new Gate({ config: config.common, defender, limiters, logger, postConnect }) };
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
