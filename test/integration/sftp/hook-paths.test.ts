/**
 * Hook programs are checked at start (INVENTORY §5), as SFTPGo does, not at the first login: a
 * relative path (refused by config validation), a missing file or a file that is not executable in
 * `sftpd.keyboard_interactive_auth_hook` stops the SFTP service from starting, and in a data
 * provider login hook stops `serve`, each with an error naming the setting; URLs are not checked.
 * The hooks SFTPGo does not check at start (startup, post-connect, actions) are logged as warnings.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { warnAboutHookPrograms } from '../../../src/app/hook-warnings.js';
import { buildConfig } from '../../../src/config/index.js';
import { hookProgramProblem } from '../../../src/core/hooks/check.js';
import { SftpServer } from '../../../src/protocols/sftp/server.js';
import { createTestContext } from '../../helpers/context.js';
import { runCli } from '../../helpers/cli.js';
import { freePort } from '../dist/binary.js';
import { writeScript } from './harness.js';

let dir: string;
let good: string;
let plain: string;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-hookpaths-'));
  good = await writeScript(path.join(dir, 'kbd.sh'), '#!/bin/sh\necho \'{"auth_result":1}\'\n');
  plain = path.join(dir, 'not-exec.sh');
  await writeFile(plain, '#!/bin/sh\n');
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('hookProgramProblem: relative, missing, directory, not executable; URLs and empty values pass', async () => {
  assert.match((await hookProgramProblem('hooks/kbd.sh'))!, /"hooks\/kbd\.sh" must be an absolute path/);
  assert.match((await hookProgramProblem(path.join(dir, 'missing.sh')))!, /missing\.sh": no such file/);
  assert.match((await hookProgramProblem(dir))!, /is not a regular file/);
  assert.match((await hookProgramProblem(plain))!, /is not executable/);
  for (const ok of [good, '', 'http://127.0.0.1:1/hook', 'https://example.invalid/x']) assert.equal(await hookProgramProblem(ok), undefined, ok);
});

/** Starts an SFTP server with `hook` as the keyboard-interactive hook; the start error, or undefined. */
async function startWith(hook: string): Promise<Error | undefined> {
  const ctx = await createTestContext({
    config: { sftpd: { bindings: [{ port: 2022, address: '127.0.0.1' }], host_keys: ['id_ed25519'], keyboard_interactive_auth_hook: hook } },
  });
  const server = new SftpServer(ctx);
  try {
    await server.start({ ephemeral: true });
    return undefined;
  } catch (err) {
    return err as Error;
  } finally {
    await server.stop(0);
    await ctx.close();
  }
}

test('sftpd: a wrong keyboard_interactive_auth_hook stops the start with the setting named', async () => {
  // A relative path never gets this far: config validation refuses it at load (src/config/checks.ts).
  for (const [hook, reason] of [[path.join(dir, 'gone.sh'), /no such file/], [plain, /not executable/]] as const) {
    const err = await startWith(hook);
    assert.ok(err, hook);
    assert.match(err.message, /^invalid hook: sftpd\.keyboard_interactive_auth_hook: /, hook);
    assert.match(err.message, reason, hook);
  }
  assert.equal(await startWith(good), undefined);
  assert.equal(await startWith('http://127.0.0.1:1/kbd'), undefined, 'a URL is used as is');
});

test('serve: wrong hook paths stop the process at start (exit 1) with the setting named', { timeout: 120_000 }, async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ sftpd: { keyboard_interactive_auth_hook: 'kbd.sh' } }, /unable to load configuration: .*sftpd\.keyboard_interactive_auth_hook: "kbd\.sh" must be an absolute program path/],
    [{ sftpd: { keyboard_interactive_auth_hook: path.join(dir, 'gone.sh') } }, /unable to start: invalid hook: sftpd\.keyboard_interactive_auth_hook: .*gone\.sh": no such file/],
    // Config validation already refuses a missing provider hook (src/config/checks.ts)...
    [{ data_provider: { pre_login_hook: path.join(dir, 'nope') } }, /unable to load configuration: .*data_provider\.pre_login_hook: .*nope/],
    // ...and the start-up check adds what it does not see: a provider hook that cannot be executed.
    [{ data_provider: { check_password_hook: plain } }, /unable to initialize the data provider: invalid hook: data_provider\.check_password_hook: .*not-exec\.sh" is not executable/],
  ];
  for (const [extra, expected] of cases) {
    const cfgDir = await mkdtemp(path.join(dir, 'cfg-'));
    const sftpd = { bindings: [{ address: '127.0.0.1', port: await freePort() }], host_keys: [good.replace(/kbd\.sh$/, 'host_ed25519')], ...(extra.sftpd as object) };
    await writeFile(path.join(cfgDir, 'sftpgo.json'), JSON.stringify({ ...extra, sftpd, httpd: { bindings: [] }, telemetry: { bind_port: 0 } }));
    const r = await runCli(['serve', '-c', cfgDir, '-l', '']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, expected);
  }
});

test('hooks SFTPGo does not check at start are reported as warnings, and start-up goes on', async () => {
  const lines: { field?: string; message?: string; level?: number }[] = [];
  const logger = pino({ level: 'info', messageKey: 'message' }, { write: (s: string) => { lines.push(JSON.parse(s) as (typeof lines)[number]); } });
  const config = buildConfig({
    common: { startup_hook: plain, post_connect_hook: path.join(dir, 'gone'), actions: { execute_on: ['upload'], hook: good } },
    data_provider: { actions: { execute_on: ['add'], hook: 'http://127.0.0.1:1/user' } },
  });
  await warnAboutHookPrograms(config, logger);
  assert.deepEqual(lines.map((l) => l.field), ['common.startup_hook', 'common.post_connect_hook']);
  assert.match(lines[0]!.message!, /not executable/);
  assert.match(lines[1]!.message!, /no such file/);
  assert.ok(lines.every((l) => l.level === 40), 'warnings');
});
