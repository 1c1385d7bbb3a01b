/**
 * The provider tools as a user runs them (CLI.md, INVENTORY §1.3): initprovider, revertprovider,
 * dumpdata, loaddata, user, quota scan, on a real sqlite file in a temp config dir. Exit codes
 * 0/1/2, errors as one line on stderr, writers refused while another process holds the file.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import initSqlJs from 'sql.js';
import { repoRoot, runCli, type CliResult } from '../../helpers/cli.js';

const fixture = fileURLToPath(new URL('../../fixtures/backup-v2.1.2.json', import.meta.url));
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM4i0shpydd1WrqNuRezcMc09egPDnneiMFRtUxoAr31 alice@laptop';

/** A temp config dir (HOME inside it, so no ~/.config/sftpgo leaks in); `cli` runs with `-c dir`. */
async function withDir(fn: (dir: string, cli: (...args: string[]) => Promise<CliResult>) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-clidata-'));
  try {
    await fn(dir, (...args) => runCli([...args, '-c', dir], { HOME: dir }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function oneErrorLine(r: CliResult, code: number, re: RegExp): void {
  assert.equal(r.code, code, `exit ${r.code}: ${r.stderr}`);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  assert.match(r.stderr, re);
}

async function schemaOf(file: string): Promise<{ version: number; userColumns: string[] }> {
  const db = new (await initSqlJs()).Database(await readFile(file));
  try {
    const version = Number(db.exec('SELECT version FROM schema_version')[0]!.values[0]![0]);
    const userColumns = db.exec('PRAGMA table_info(users)')[0]!.values.map((r) => String(r[1]));
    return { version, userColumns };
  } finally {
    db.close();
  }
}

describe('provider tools', { concurrency: 3 }, () => {
  test('initprovider creates then reports up to date; revertprovider takes --to-version 8 only', () => withDir(async (dir, cli) => {
    const db = path.join(dir, 'sftpgo.db');
    const init = await cli('initprovider');
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /successfully initialized\/updated/);
    assert.equal((await schemaOf(db)).version, 10);
    assert.equal((await cli('initprovider')).stdout.trim(), 'the data provider is up to date');
    oneErrorLine(await cli('revertprovider'), 2, /required option '--to-version <version>'/);
    oneErrorLine(await cli('revertprovider', '--to-version', '7'), 1, /8 is the only supported one/);
    assert.equal((await cli('revertprovider', '--to-version', '8')).code, 0);
    const v8 = await schemaOf(db);
    assert.equal(v8.version, 8);
    assert.ok(!v8.userColumns.includes('description'), 'v8 has no description column');
    assert.equal((await cli('initprovider')).code, 0);
    assert.equal((await schemaOf(db)).version, 10);
  }));

  test('loaddata then dumpdata gives the v2.1.2 dump back unchanged (file 0600 and stdout)', () => withDir(async (dir, cli) => {
    const load = await cli('loaddata', '--input-file', fixture, '--mode', '1');
    assert.equal(load.code, 0, load.stderr);
    assert.equal(load.stdout.trim(), 'data loaded: 6 users, 3 folders, 2 admins');
    const out = path.join(dir, 'dump.json');
    assert.equal((await cli('dumpdata', '--output-file', out)).code, 0);
    assert.equal((await stat(out)).mode & 0o777, 0o600);
    const original: unknown = JSON.parse(await readFile(fixture, 'utf8'));
    assert.deepEqual(JSON.parse(await readFile(out, 'utf8')), original);
    const stdout = await cli('dumpdata', '--indent');
    assert.deepEqual(JSON.parse(stdout.stdout), original);
    await writeFile(path.join(dir, 'bad.json'), '{"users": 3}');
    oneErrorLine(await cli('loaddata', '--input-file', path.join(dir, 'bad.json')), 1, /"users" must be a list/);
    oneErrorLine(await cli('loaddata', '--input-file', fixture, '--mode', '5'), 2, /allowed: 0, 1, 2/);
  }));

  test('user add, list, get, update, delete; validation and missing users fail with one line', () => withDir(async (dir, cli) => {
    const add = await cli('user', 'add', 'alice', '--password', 'pw1', '--home-dir', '/srv/alice', '--permissions', 'list,download',
      '--public-key', KEY, '--quota-size', '100', '--quota-files', '5', '--description', 'first', '--json');
    assert.equal(add.code, 0, add.stderr);
    const added = JSON.parse(add.stdout) as Record<string, unknown>;
    assert.deepEqual([added.username, added.home_dir, added.permissions, added.public_keys, added.quota_size, added.quota_files, added.description],
      ['alice', '/srv/alice', { '/': ['list', 'download'] }, [KEY], 100, 5, 'first']);
    assert.equal(added.password, undefined, 'no hash in output');
    oneErrorLine(await cli('user', 'add', 'bob', '--home-dir', 'rel'), 1, /home_dir: "rel" must be an absolute path; password: a password or at least one public key/);
    oneErrorLine(await cli('user', 'add', 'alice', '--password', 'x', '--home-dir', '/srv/a'), 1, /user "alice" already exists/);
    const upd = await cli('user', 'update', 'alice', '--permissions', '*', '--quota-size', '0', '--json');
    assert.equal(upd.code, 0, upd.stderr);
    assert.deepEqual(pickJson(upd.stdout, ['permissions', 'quota_size', 'quota_files', 'description']), { permissions: { '/': ['*'] }, quota_size: 0, quota_files: 5, description: 'first' });
    const dump = JSON.parse((await cli('dumpdata')).stdout) as { users: { password: string }[] };
    assert.match(dump.users[0]!.password, /^\$2[aby]\$10\$/, 'update kept the stored password hash');
    const table = await cli('user', 'list');
    assert.match(table.stdout, /│ 1 +│ alice +│ enabled +│ \/srv\/alice +│/);
    assert.deepEqual((JSON.parse((await cli('user', 'list', '--json', '--order', 'DESC')).stdout) as { username: string }[]).map((u) => u.username), ['alice']);
    assert.match((await cli('user', 'get', 'alice')).stdout, /^home dir +\/srv\/alice$/m);
    oneErrorLine(await cli('user', 'list', '--order', 'UP'), 2, /Allowed choices are ASC, DESC/);
    assert.equal((await cli('user', 'delete', 'alice')).stdout.trim(), 'user "alice" deleted');
    oneErrorLine(await cli('user', 'get', 'alice'), 1, /user "alice" does not exist/);
  }));

  test('quota scan: a user (home + included folders) or a folder; usage errors exit 2', () => withDir(async (dir, cli) => {
    const home = path.join(dir, 'homes', 'alice');
    const folder = path.join(dir, 'folders', 'data');
    await mkdir(path.join(home, 'sub'), { recursive: true });
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(home, 'a.txt'), '12345');
    await writeFile(path.join(home, 'sub', 'b.txt'), '123');
    await writeFile(path.join(folder, 'c.bin'), Buffer.alloc(1000));
    const dump = { version: 8, admins: [], folders: [{ name: 'data', mapped_path: folder }], users: [{
      username: 'alice', status: 1, password: 'pw', home_dir: home, permissions: { '/': ['*'] },
      virtual_folders: [{ name: 'data', virtual_path: '/data', quota_size: -1, quota_files: -1 }],
    }] };
    await writeFile(path.join(dir, 'in.json'), JSON.stringify(dump));
    assert.equal((await cli('loaddata', '--input-file', path.join(dir, 'in.json'))).code, 0);
    const user = await cli('quota', 'scan', 'alice');
    assert.equal(user.code, 0, user.stderr);
    assert.equal(user.stdout.trim(), 'quota scan for user "alice" done: 3 files, 1008 bytes');
    assert.match((await cli('quota', 'scan', '--folder', 'data')).stdout, /quota scan for folder "data" done: 1 files, 1000 bytes/);
    const after = JSON.parse((await cli('user', 'get', 'alice', '--json')).stdout) as { used_quota_size: number; used_quota_files: number };
    assert.deepEqual([after.used_quota_size, after.used_quota_files], [1008, 3]);
    oneErrorLine(await cli('quota', 'scan'), 2, /a username or --folder <name> is required/);
    oneErrorLine(await cli('quota', 'scan', 'alice', '--folder', 'data'), 2, /not both/);
    assert.equal((await cli('quota', 'scan', 'nobody')).code, 1);
  }));

  test('quota scan opens backend secrets through the KMS (a user on encrypted local storage)', () => withDir(async (dir, cli) => {
    const home = path.join(dir, 'homes', 'enc');
    const dump = { version: 8, admins: [], folders: [], users: [{
      username: 'enc', status: 1, password: 'pw', home_dir: home, permissions: { '/': ['*'] },
      filesystem: { provider: 4, cryptconfig: { passphrase: { status: 'Plain', payload: 'a passphrase' } } },
    }] };
    await writeFile(path.join(dir, 'in.json'), JSON.stringify(dump));
    assert.equal((await cli('loaddata', '--input-file', path.join(dir, 'in.json'))).code, 0);
    const stored = JSON.parse((await cli('dumpdata')).stdout) as { users: { filesystem: { cryptconfig: { passphrase: { status: string } } } }[] };
    assert.equal(stored.users[0]!.filesystem.cryptconfig.passphrase.status, 'Secretbox', 'stored encrypted by the local KMS');
    await mkdir(home, { recursive: true });
    await writeFile(path.join(home, 'x.bin'), Buffer.alloc(100));
    const scan = await cli('quota', 'scan', 'enc');
    assert.equal(scan.code, 0, scan.stderr);
    assert.match(scan.stdout, /quota scan for user "enc" done: 1 files, 100 bytes/);
  }));

  test('writers are refused while another process holds the database; readers still work; memory is refused', () => withDir(async (dir, cli) => {
    const holder = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/sqljs-writer.ts', 'hold', dir], { cwd: repoRoot, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
        holder.on('exit', () => reject(new Error('holder exited')));
      });
      oneErrorLine(await cli('user', 'add', 'x', '--password', 'p', '--home-dir', '/srv/x'), 1,
        new RegExp(`in use by another sftpgo process \\(pid ${holder.pid}\\); stop it first or use that server's REST API`));
      const dump = await cli('dumpdata');
      assert.equal(dump.code, 0, dump.stderr);
      assert.deepEqual(JSON.parse(dump.stdout), { users: [], folders: [], admins: [], version: 8 });
    } finally {
      holder.kill('SIGKILL');
    }
    await writeFile(path.join(dir, 'sftpgo.json'), JSON.stringify({ data_provider: { driver: 'memory' } }));
    oneErrorLine(await cli('user', 'list'), 1, /not supported: the "memory" data provider keeps its data inside the running server only/);
    const init = await cli('initprovider');
    assert.deepEqual([init.code, init.stdout.trim()], [0, 'the data provider is up to date'], 'memory needs no initialization (SFTPGo)');
  }));

  test('-c on the command line beats SFTPGO_CONFIG_DIR', () => withDir(async (dir) => {
    await writeFile(path.join(dir, 'sftpgo.json'), JSON.stringify({ data_provider: { name: 'flag.db' } }));
    const r = await runCli(['initprovider', '-c', dir], { HOME: dir, SFTPGO_CONFIG_DIR: path.join(dir, 'nowhere') });
    assert.equal(r.code, 0, r.stderr);
    await stat(path.join(dir, 'flag.db'));
  }));
});

function pickJson(text: string, keys: string[]): Record<string, unknown> {
  const o = JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, o[k]]));
}
