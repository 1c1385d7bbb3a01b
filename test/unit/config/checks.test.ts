/**
 * What SFTPGo checks when its services start is checked at load, all at once: rate limiters
 * (burst, period, type, protocol names; only enabled ones), defender values (only when enabled),
 * data_provider.driver names (cockroachdb accepted, served by the PostgreSQL provider), and hooks
 * (absolute program paths or http(s) URLs; provider hook programs must exist). One error names
 * every bad key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildConfig, loadConfig } from '../../../src/config/index.js';
import { openProvider } from '../../../src/dataprovider/registry.js';
import type { DataProviderConfig } from '../../../src/config/types.js';
import { SftpGoError } from '../../../src/util/errors.js';
import { serverAvailability, serverConfig } from '../../helpers/sqlserver.js';

async function loadFile(cfg: unknown): Promise<{ err?: SftpGoError; dir: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-checks-'));
  await writeFile(path.join(dir, 'sftpgo.json'), JSON.stringify(cfg));
  const err = await loadConfig({ configDir: dir, env: { HOME: path.join(dir, 'home') } }).then(() => undefined, (e: unknown) => e);
  await rm(dir, { recursive: true, force: true });
  if (err !== undefined) assert.ok(err instanceof SftpGoError, String(err));
  return { err: err as SftpGoError | undefined, dir };
}

function fields(err: SftpGoError | undefined): string[] {
  assert.ok(err, 'the config is refused');
  assert.equal(err.kind, 'InvalidInput');
  for (const p of err.problems) assert.ok(err.message.includes(p.field), `message names ${p.field}`);
  return err.problems.map((p) => p.field).sort();
}

test('one error names every bad rate limiter, defender, driver and hook key', async () => {
  const { err } = await loadFile({
    common: {
      rate_limiters: [
        { average: 10, period: 50, burst: 0, type: 3, protocols: ['SSH', 'SMTP'] },
        { average: 0 }, // disabled: zero-valued type/period/burst are fine, as in SFTPGo
        { average: 5, type: 2, entries_soft_limit: 10, entries_hard_limit: 5, protocols: ['FTP'], period: 1000, burst: 1 },
      ],
      defender: { enabled: true, threshold: 2, score_invalid: 2, ban_time: 0, entries_soft_limit: 200, entries_hard_limit: 150 },
      actions: { hook: 'hooks/action.sh' },
      post_connect_hook: 'httpx//nope',
    },
    sftpd: { keyboard_interactive_auth_hook: 'kbd.sh' },
    data_provider: { driver: 'oracle', pre_login_hook: '/nonexistent/sftpgo/pre-login', check_password_hook: 'ftp://h/x' },
  });
  assert.deepEqual(fields(err), [
    'common.actions.hook',
    'common.defender.ban_time', 'common.defender.entries_soft_limit', 'common.defender.score_invalid', 'common.defender.score_limit_exceeded',
    'common.post_connect_hook',
    'common.rate_limiters.0.burst', 'common.rate_limiters.0.period', 'common.rate_limiters.0.protocols', 'common.rate_limiters.0.type',
    'common.rate_limiters.2.entries_soft_limit',
    'data_provider.check_password_hook', 'data_provider.driver', 'data_provider.pre_login_hook',
    'sftpd.keyboard_interactive_auth_hook',
  ]);
  assert.match(err!.message, /SMTP/);
  assert.match(err!.message, /ENOENT/);
});

test('valid values pass: disabled defender with any values, hooks as URLs and absolute programs, cockroachdb', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-hook-'));
  const hook = path.join(dir, 'check.sh');
  await writeFile(hook, '#!/bin/sh\nexit 0\n');
  await chmod(hook, 0o755);
  try {
    const { err } = await loadFile({
      common: {
        defender: { enabled: false, threshold: 1, ban_time: 0 },
        rate_limiters: [{ average: 100, period: 100, burst: 1, type: 1, protocols: ['SSH', 'FTP', 'DAV', 'HTTP'] }],
        actions: { hook: '/usr/local/bin/not-checked-until-used' },
        post_connect_hook: 'https://example.com/connect',
      },
      data_provider: { driver: 'cockroachdb', check_password_hook: hook, post_login_hook: 'http://127.0.0.1:9/x' },
    });
    assert.equal(err, undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  // Overrides (CLI flags, tests) take the same per-key and cross-key rules.
  assert.throws(() => buildConfig({ common: { defender: { enabled: true, score_valid: 20 } } }), /common\.defender\.score_valid/);
});

const avail = await serverAvailability();

test('driver cockroachdb opens the PostgreSQL provider (same wire protocol) and reports its configured name', avail.postgresql, async () => {
  const cfg = { ...buildConfig().data_provider, ...serverConfig('postgresql'), driver: 'cockroachdb' } as DataProviderConfig;
  const p = await openProvider(cfg, '/nonexistent');
  try {
    assert.equal(p.driver, 'cockroachdb');
    await p.checkAvailability();
  } finally {
    await p.close();
  }
});
