/**
 * Flag precedence of the CLI (INVENTORY §1.1): default < SFTPGO_* env < command-line flag, for the
 * serve flags and the global config options, before and after the command name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { buildProgram } from '../../../src/cli/program.js';
import { globalOptions } from '../../../src/cli/options.js';

/** Parses `args` with `env` as the process environment; returns serve's options and globals. */
async function parseServe(args: string[], env: Record<string, string>): Promise<{ opts: Record<string, unknown>; configDir: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const program = buildProgram({ writeOut: () => undefined, writeErr: () => undefined });
    const serve = program.commands.find((c) => c.name() === 'serve')!;
    let out: { opts: Record<string, unknown>; configDir: string } | undefined;
    serve.action((_o: unknown, cmd: Command) => { out = { opts: cmd.opts(), configDir: globalOptions(cmd).configDir }; });
    await program.parseAsync(['node', 'sftpgo', ...args]);
    return out!;
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

test('serve flags: default < env < flag', async () => {
  assert.equal((await parseServe(['serve'], {})).opts.logMaxSize, 10);
  assert.equal((await parseServe(['serve'], { SFTPGO_LOG_MAX_SIZE: '3' })).opts.logMaxSize, 3);
  assert.equal((await parseServe(['serve', '-s', '7'], { SFTPGO_LOG_MAX_SIZE: '3' })).opts.logMaxSize, 7);
  assert.equal((await parseServe(['serve'], { SFTPGO_LOG_VERBOSE: 'false' })).opts.logVerbose, false);
  assert.equal((await parseServe(['serve', '--log-verbose=true'], { SFTPGO_LOG_VERBOSE: 'false' })).opts.logVerbose, true);
  assert.equal((await parseServe(['serve', '--loaddata-mode', '0'], { SFTPGO_LOADDATA_MODE: '1' })).opts.loaddataMode, 0);
});

test('config dir: default ".", SFTPGO_CONFIG_DIR, then -c before or after the command', async () => {
  assert.equal((await parseServe(['serve'], {})).configDir, '.');
  assert.equal((await parseServe(['serve'], { SFTPGO_CONFIG_DIR: '/env' })).configDir, '/env');
  assert.equal((await parseServe(['serve', '-c', '/flag'], { SFTPGO_CONFIG_DIR: '/env' })).configDir, '/flag');
  assert.equal((await parseServe(['-c', '/root-flag', 'serve'], { SFTPGO_CONFIG_DIR: '/env' })).configDir, '/root-flag');
});
