import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { needsBinaries } from '../../helpers/require.js';

const cli = runCli;

function run(cmd: string, args: string[], input: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args);
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
    child.stdin.end(input);
  });
}

test('--help lists the commands and exits 0', async () => {
  const r = await cli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Usage: sftpgo/);
  assert.match(r.stdout, /serve/);
  assert.match(r.stdout, /gen/);
});

test('--version and -v print the SFTPGo banner', async () => {
  for (const flag of ['--version', '-v']) {
    const r = await cli([flag], { SFTPGO_BUILD_COMMIT: 'abc1234', SFTPGO_BUILD_DATE: '2021-09-11T00:00:00Z' });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^SFTPGo 2\.1\.2-abc1234-2021-09-11T00:00:00Z (\+|-)\w+/);
  }
});

test('--version leaves out an empty commit and date with their dashes, as SFTPGo does', async () => {
  const r = await cli(['--version'], { SFTPGO_BUILD_COMMIT: '', SFTPGO_BUILD_DATE: '' });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^SFTPGo 2\.1\.2 (\+|-)\w+( (\+|-)\w+)*\n$/);
  const commitOnly = await cli(['--version'], { SFTPGO_BUILD_COMMIT: 'abc1234', SFTPGO_BUILD_DATE: '' });
  assert.match(commitOnly.stdout, /^SFTPGo 2\.1\.2-abc1234 \+/);
});

test('service (Windows-only in SFTPGo): every subcommand refuses loudly with exit 1 and says what to use', async () => {
  for (const sub of ['install', 'uninstall', 'start', 'stop', 'reload', 'rotatelogs', 'status']) {
    const r = await cli(['service', sub]);
    assert.equal(r.code, 1, sub);
    assert.match(r.stderr, new RegExp(`^Error: not supported: service ${sub}: the service command manages a Windows service`), sub);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
  assert.match((await cli(['service', 'rotatelogs'])).stderr, /SIGUSR1/);
  const installFlags = await cli(['service', 'install', '-l', 'x.log', '--log-verbose']);
  assert.equal(installFlags.code, 1, 'install takes the serve flags and still refuses');
  assert.match(installFlags.stderr, /not supported: service install/);
  const bare = await cli(['service']);
  assert.equal(bare.code, 1);
  assert.match(bare.stderr, /not supported: service/);
});

test('serve --help shows every SFTPGo serve flag and the -v of serve is --log-verbose', async () => {
  const r = await cli(['serve', '--help']);
  assert.equal(r.code, 0);
  for (const f of ['-l, --log-file-path', '-s, --log-max-size', '-b, --log-max-backups', '-a, --log-max-age',
    '-z, --log-compress', '-v, --log-verbose', '--loaddata-from', '--loaddata-mode', '--loaddata-scan',
    '--loaddata-clean', '-c, --config-dir', '--config-file', 'SFTPGO_LOADDATA_QUOTA_SCAN']) {
    assert.ok(r.stdout.includes(f), `missing ${f}`);
  }
});

test('usage errors exit 2 with one line on stderr', async () => {
  const bad = await cli(['--no-such-flag']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown option '--no-such-flag'/);
  const badNum = await cli(['serve', '--log-max-size', 'ten']);
  assert.equal(badNum.code, 2);
  assert.match(badNum.stderr, /not an integer/);
  const badShell = await cli(['gen', 'completion', 'tcsh']);
  assert.equal(badShell.code, 2);
});

test('failures exit 1 with one clear line: gen man, invalid config on serve', async () => {
  const man = await cli(['gen', 'man']);
  assert.equal(man.code, 1);
  assert.equal(man.stderr.trim().split('\n').length, 1);
  assert.match(man.stderr, /not supported/);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-cli-'));
  try {
    await writeFile(path.join(dir, 'sftpgo.json'), JSON.stringify({ common: { upload_mode: 9 }, data_provider: { driver: 'x' } }));
    const r = await cli(['serve', '-c', dir, '-l', ''], { HOME: dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /common\.upload_mode/);
    assert.match(r.stderr, /data_provider\.driver/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('gen completion bash is valid bash that completes subcommands', needsBinaries('bash'), async () => {
  const r = await cli(['gen', 'completion', 'bash']);
  assert.equal(r.code, 0);
  const script = `${r.stdout}
COMP_WORDS=(sftpgo se); COMP_CWORD=1; _sftpgo; echo "A:\${COMPREPLY[*]}"
COMP_WORDS=(sftpgo gen completion ''); COMP_CWORD=3; _sftpgo; echo "B:\${COMPREPLY[*]}"
COMP_WORDS=(sftpgo serve --log-m); COMP_CWORD=2; _sftpgo; echo "C:\${COMPREPLY[*]}"
COMP_WORDS=(sftpgo user ''); COMP_CWORD=2; _sftpgo; echo "D:\${COMPREPLY[*]}"
COMP_WORDS=(sftpgo loaddata --m); COMP_CWORD=2; _sftpgo; echo "E:\${COMPREPLY[*]}"
COMP_WORDS=(sftpgo ''); COMP_CWORD=1; _sftpgo; echo "F:\${COMPREPLY[*]}"
`;
  const b = await run('bash', ['--norc', '-e'], script);
  assert.equal(b.code, 0, b.out);
  assert.match(b.out, /^A:serve service$/m);
  assert.match(b.out, /^B:bash zsh fish powershell/m);
  assert.match(b.out, /^C:--log-max-size --log-max-backups --log-max-age$/m);
  assert.match(b.out, /^D:add update delete get list /m);
  assert.match(b.out, /^E:--mode$/m);
  for (const c of ['initprovider', 'revertprovider', 'dumpdata', 'loaddata', 'user', 'quota', 'portable']) assert.match(b.out, new RegExp(`^F:.*\\b${c}\\b`, 'm'), c);
});

test('gen completion zsh, fish and powershell print scripts', async () => {
  for (const [shell, marker] of [['zsh', '#compdef sftpgo'], ['fish', "complete -c sftpgo -n '__fish_use_subcommand' -a 'serve'"],
    ['powershell', 'Register-ArgumentCompleter']] as const) {
    const r = await cli(['gen', 'completion', shell]);
    assert.equal(r.code, 0);
    assert.ok(r.stdout.includes(marker), shell);
  }
});

test('the config dir is taken from -c after or before the command, or SFTPGO_CONFIG_DIR', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-cli-'));
  try {
    // An invalid file proves which dir was read: serve stops naming the bad key.
    await writeFile(path.join(dir, 'sftpgo.yaml'), 'common:\n  setstat_mode: 7\n');
    const empty = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-cli-empty-'));
    try {
      for (const [args, env] of [
        [['serve', '-c', dir, '-l', ''], {}],
        [['-c', dir, 'serve', '-l', ''], {}],
        [['serve', '-l', ''], { SFTPGO_CONFIG_DIR: dir }],
        [['serve', '-c', empty, '--config-file', path.join(dir, 'sftpgo.yaml'), '-l', ''], {}],
      ] as const) {
        const r = await cli([...args], { HOME: empty, ...env });
        assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, /common\.setstat_mode/, args.join(' '));
      }
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
