import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { DefenderConfig } from '../../../src/config/types.js';
import { defenderId, MemoryDefender, validateDefenderConfig } from '../../../src/core/defender/defender.js';

const logger = pino({ level: 'silent' });
const MIN = 60_000;

function cfg(over: Partial<DefenderConfig> = {}): DefenderConfig {
  return {
    enabled: true, ban_time: 30, ban_time_increment: 50, threshold: 15, score_invalid: 2, score_valid: 1,
    score_limit_exceeded: 3, observation_time: 30, entries_soft_limit: 100, entries_hard_limit: 150,
    safelist_file: '', blocklist_file: '', ...over,
  };
}

function clock(start = 1_700_000_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

test('bans after the threshold, extends on attempts, unbans after ban time', async () => {
  const c = clock();
  const d = await MemoryDefender.create({ config: cfg({ threshold: 5 }), configDir: '/', logger, now: c.now });
  d.addEvent('10.0.0.1', 'user_not_found'); // 2
  d.addEvent('10.0.0.1', 'user_not_found'); // 4
  assert.equal(d.score('10.0.0.1'), 4);
  assert.equal(d.isBanned('10.0.0.1'), false);
  d.addEvent('10.0.0.1', 'login_failed'); // 5 → ban
  assert.equal(d.score('10.0.0.1'), 0);
  assert.equal(d.banTime('10.0.0.1')?.getTime(), c.t + 30 * MIN);
  assert.equal(d.isBanned('10.0.0.1'), true); // extends by 15 min
  assert.equal(d.banTime('10.0.0.1')?.getTime(), c.t + 45 * MIN);
  d.addEvent('10.0.0.1', 'login_failed'); // banned hosts get no score
  assert.equal(d.score('10.0.0.1'), 0);
  c.t += 45 * MIN + 1;
  assert.equal(d.isBanned('10.0.0.1'), false);
  assert.equal(d.list().length, 0);
});

test('scores outside the observation window are forgotten', async () => {
  const c = clock();
  const d = await MemoryDefender.create({ config: cfg({ threshold: 5, observation_time: 1 }), configDir: '/', logger, now: c.now });
  d.addEvent('10.0.0.2', 'limit_exceeded');
  c.t += 61_000;
  d.addEvent('10.0.0.2', 'limit_exceeded');
  assert.equal(d.score('10.0.0.2'), 3);
  assert.equal(d.isBanned('10.0.0.2'), false);
});

test('list, get by hex id, unban', async () => {
  const d = await MemoryDefender.create({ config: cfg({ threshold: 4 }), configDir: '/', logger });
  d.addEvent('192.168.1.1', 'login_failed');
  d.addEvent('192.168.1.2', 'user_not_found');
  d.addEvent('192.168.1.2', 'user_not_found'); // 4 → banned
  const list = d.list();
  assert.equal(list.length, 2);
  const id = defenderId('192.168.1.2');
  assert.equal(id, Buffer.from('192.168.1.2').toString('hex'));
  assert.ok(d.get(id)?.banTime);
  assert.equal(d.get(defenderId('192.168.1.1'))?.score, 1);
  assert.equal(d.get('zz'), undefined);
  assert.equal(d.unban('192.168.1.2'), true);
  assert.equal(d.isBanned('192.168.1.2'), false);
  assert.equal(d.unban('192.168.1.9'), false);
});

test('safelist never scores, blocklist is always banned, reload picks up changes', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'defender-'));
  try {
    await writeFile(path.join(dir, 'safe.json'), JSON.stringify({ addresses: ['10.1.1.1'], networks: ['172.16.0.0/16'] }));
    await writeFile(path.join(dir, 'block.json'), JSON.stringify({ addresses: [], networks: ['192.0.2.0/24'] }));
    const d = await MemoryDefender.create({
      config: cfg({ threshold: 4, safelist_file: 'safe.json', blocklist_file: path.join(dir, 'block.json') }), configDir: dir, logger,
    });
    d.addEvent('10.1.1.1', 'user_not_found');
    d.addEvent('172.16.5.5', 'user_not_found');
    assert.equal(d.score('10.1.1.1'), 0);
    assert.equal(d.score('172.16.5.5'), 0);
    assert.equal(d.isBanned('192.0.2.77'), true);
    assert.equal(d.isBanned('::ffff:192.0.2.77'), true);
    assert.equal(d.list().length, 0);
    await writeFile(path.join(dir, 'block.json'), JSON.stringify({ addresses: ['198.51.100.1'] }));
    await d.reload();
    assert.equal(d.isBanned('192.0.2.77'), false);
    assert.equal(d.isBanned('198.51.100.1'), true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('memory bounded: hosts beyond the hard limit are trimmed to the soft limit', async () => {
  const d = await MemoryDefender.create({ config: cfg({ entries_soft_limit: 2, entries_hard_limit: 3 }), configDir: '/', logger });
  for (let i = 1; i <= 4; i++) d.addEvent(`10.9.0.${i}`, 'login_failed');
  const ips = d.list().map((e) => e.ip).sort();
  assert.deepEqual(ips, ['10.9.0.3', '10.9.0.4']);
});

test('disabled defender is a no-op; validation lists problems', async () => {
  const d = await MemoryDefender.create({ config: cfg({ enabled: false, threshold: 1 }), configDir: '/', logger });
  d.addEvent('1.1.1.1', 'user_not_found');
  assert.equal(d.isBanned('1.1.1.1'), false);
  const problems = validateDefenderConfig(cfg({ threshold: 2, ban_time: 0 }));
  assert.ok(problems.some((p) => p.includes('score_invalid')));
  assert.ok(problems.some((p) => p.includes('ban_time')));
  await assert.rejects(MemoryDefender.create({ config: cfg({ threshold: 2 }), configDir: '/', logger }));
});
