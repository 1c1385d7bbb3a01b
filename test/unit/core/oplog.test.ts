/**
 * SFTPGo's transfer and command log lines (INVENTORY §9.1), as the core writes them: one line per
 * finished transfer and per successful command, with SFTPGo's fields, placeholders and formats.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Writable } from 'node:stream';
import { formatChtime, goFileMode } from '../../../src/core/oplog.js';
import { createLogger } from '../../../src/logger/index.js';
import { download, kindOf, makeEnv, upload, type EnvOptions } from '../../integration/core/fixture.js';

type Line = Record<string, unknown>;

const TRANSFER_KEYS = ['level', 'time', 'sender', 'remote_addr', 'elapsed_ms', 'size_bytes', 'username', 'file_path', 'connection_id', 'protocol'];
const COMMAND_KEYS = [
  'level', 'time', 'sender', 'remote_addr', 'username', 'file_path', 'target_path', 'filemode', 'uid', 'gid',
  'access_time', 'modification_time', 'size', 'ssh_command', 'connection_id', 'protocol',
];
const SENDERS = new Set(['Upload', 'Download', 'Rename', 'Rmdir', 'Mkdir', 'Symlink', 'Remove', 'Chmod', 'Chown', 'Chtimes', 'Truncate', 'SSHCommand']);

/** An env whose root logger is captured; `ops()` returns the transfer and command lines. */
async function capturedEnv(opts: EnvOptions = {}) {
  const lines: Line[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(chunk.toString()) as Line); cb(); } });
  // The product logger, so the lines are checked in the format the log file gets.
  const env = await makeEnv({ ...opts, logger: createLogger({ destination: sink, pretty: false }) });
  return { env, ops: () => lines.filter((l) => SENDERS.has(String(l.sender))) };
}

/** The common part of a command line with SFTPGo's placeholders. */
function command(sender: string, filePath: string, extra: Line = {}): Line {
  return {
    sender, remote_addr: '127.0.0.1:1234', username: 'alice', file_path: filePath, target_path: '', filemode: '', uid: -1, gid: -1,
    access_time: '', modification_time: '', size: -1, ssh_command: '', protocol: 'SFTP', ...extra,
  };
}

/** The line without level/time/connection_id (checked separately). */
function body(l: Line | undefined): Line {
  const { level: _l, time: _t, connection_id: _c, elapsed_ms: _e, ...rest } = l ?? {};
  return rest;
}

test('oplog: an upload and a download each write one transfer line with SFTPGo fields', async () => {
  const { env, ops } = await capturedEnv();
  try {
    const c = await env.connect();
    await upload(c, '/f.txt', 'hello world');
    await download(c, '/f.txt');
    const [up, down, ...rest] = ops();
    assert.equal(rest.length, 0, 'one line per transfer');
    for (const l of [up!, down!]) {
      assert.deepEqual(Object.keys(l), TRANSFER_KEYS, 'SFTPGo keys, no message');
      assert.equal(l.level, 'info');
      assert.match(String(l.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
      assert.equal(l.connection_id, c.id);
      assert.equal(typeof l.elapsed_ms, 'number');
      assert.ok(Number.isInteger(l.elapsed_ms) && (l.elapsed_ms as number) >= 0);
    }
    const file = path.join(env.home, 'f.txt');
    assert.deepEqual(body(up), { sender: 'Upload', remote_addr: '127.0.0.1:1234', size_bytes: 11, username: 'alice', file_path: file, protocol: 'SFTP' });
    assert.deepEqual(body(down), { sender: 'Download', remote_addr: '127.0.0.1:1234', size_bytes: 11, username: 'alice', file_path: file, protocol: 'SFTP' });
  } finally {
    await env.cleanup();
  }
});

test('oplog: failed transfers are logged too; discarded upload bytes count 0', async () => {
  for (const mode of [0, 1]) {
    const { env, ops } = await capturedEnv({ user: { quota_size: 4096 }, common: { upload_mode: mode } });
    try {
      const c = await env.connect();
      assert.equal(await kindOf(upload(c, '/big', Buffer.alloc(8192), 1024)), 'QuotaExceeded');
      const partial = await c.openUpload('/aborted', { mode: 'truncate' });
      await partial.write(Buffer.alloc(100), 0);
      await partial.abort(new Error('client went away'));
      const d = await c.openDownload('/aborted').catch(() => undefined);
      await d?.abort();
      const lines = ops().filter((l) => l.sender === 'Upload');
      assert.equal(lines.length, 2, `mode ${mode}`);
      assert.equal(lines[0]!.size_bytes, 0, `mode ${mode}: the partial file over quota is removed`);
      assert.equal(lines[0]!.file_path, path.join(env.home, 'big'));
      // In place (mode 0) the partial file stays with its bytes; atomic (mode 1) discards the temp file.
      assert.equal(lines[1]!.size_bytes, mode === 0 ? 100 : 0, `mode ${mode}: aborted upload`);
      assert.equal(ops().filter((l) => l.sender === 'Download').length, mode === 0 ? 1 : 0, 'an aborted download is logged');
    } finally {
      await env.cleanup();
    }
  }
});

test('oplog: mkdir, rename, symlink, setstat, remove, rmdir write their command lines once', async () => {
  const { env, ops } = await capturedEnv();
  try {
    const c = await env.connect();
    const h = (p: string) => path.join(env.home, p);
    await c.mkdir('/d');
    await upload(c, '/d/a', 'abc');
    await c.rename('/d/a', '/d/b');
    await c.symlink('/d/b', '/d/l');
    await c.setStat('/d/b', { mode: 0o640 });
    await c.setStat('/d/b', { uid: 1000, gid: 1001 }).catch(() => undefined);
    const atime = new Date(2021, 8, 11, 10, 20, 30);
    const mtime = new Date(2021, 8, 12, 11, 21, 31);
    await c.setStat('/d/b', { atime, mtime });
    await c.setStat('/d/b', { size: 1 });
    await c.remove('/d/l');
    await c.remove('/d/b');
    await c.rmdir('/d');
    const lines = ops().filter((l) => l.sender !== 'Upload');
    for (const l of lines) {
      assert.deepEqual(Object.keys(l), COMMAND_KEYS, `${String(l.sender)}: SFTPGo keys, no message`);
      assert.equal(l.connection_id, c.id);
      assert.equal(l.level, 'info');
    }
    const chownDone = lines.some((l) => l.sender === 'Chown');
    const want = [
      command('Mkdir', h('d')),
      command('Rename', h('d/a'), { target_path: h('d/b') }),
      command('Symlink', h('d/b'), { target_path: h('d/l') }),
      command('Chmod', h('d/b'), { filemode: '-rw-r-----' }),
      // chown needs root: only logged when it was applied.
      ...(chownDone ? [command('Chown', h('d/b'), { uid: 1000, gid: 1001 })] : []),
      command('Chtimes', h('d/b'), { access_time: '2021-09-11T10:20:30', modification_time: '2021-09-12T11:21:31' }),
      command('Truncate', h('d/b'), { size: 1 }),
      command('Remove', h('d/l')),
      command('Remove', h('d/b')),
      command('Rmdir', h('d')),
    ];
    assert.deepEqual(lines.map(body), want.map(body));
  } finally {
    await env.cleanup();
  }
});

test('oplog: refused operations write no command line', async () => {
  const { env, ops } = await capturedEnv({ user: { permissions: { '/': ['list', 'download'] } } });
  try {
    const c = await env.connect();
    assert.equal(await kindOf(c.mkdir('/x')), 'PermissionDenied');
    assert.equal(await kindOf(c.remove('/missing')), 'PermissionDenied');
    assert.equal(await kindOf(c.rename('/a', '/b')), 'NotFound');
    assert.deepEqual(ops(), []);
  } finally {
    await env.cleanup();
  }
});

test('oplog: SSH commands log SSHCommand with the command line; setstat_mode 1 logs nothing', async () => {
  const { env, ops } = await capturedEnv({ common: { setstat_mode: 1 } });
  try {
    const c = await env.connect();
    await upload(c, '/src', 'x');
    await c.setStat('/src', { mode: 0o600 });
    await c.copy('/src', '/dst');
    await c.commandAction('sftpgo-copy /src /dst', '/src', '/dst');
    await c.mkdir('/repo');
    const failed = await c.systemCommandTarget('/repo');
    await failed.finish('git-receive-pack /repo', false);
    const ok = await c.systemCommandTarget('/repo');
    await ok.finish('git-receive-pack /repo', true);
    await c.commandAction('pwd', undefined);
    const lines = ops().filter((l) => l.sender !== 'Upload' && l.sender !== 'Mkdir');
    assert.deepEqual(lines.map(body), [
      body(command('SSHCommand', path.join(env.home, 'src'), { target_path: path.join(env.home, 'dst'), ssh_command: 'sftpgo-copy /src /dst' })),
      // A system command is logged once, when it succeeded.
      body(command('SSHCommand', path.join(env.home, 'repo'), { ssh_command: 'git-receive-pack /repo' })),
      // A command without a path: empty file_path, and an empty path in the action too.
      body(command('SSHCommand', '', { ssh_command: 'pwd' })),
    ]);
    const pwdAction = env.hooks.calls.find((i) => i.action === 'ssh_cmd' && i.ssh_cmd === 'pwd');
    assert.equal(pwdAction?.path, '');
  } finally {
    await env.cleanup();
  }
});

test('oplog: virtual folders log the folder host path; formats of mode and chtimes', async () => {
  const { env, ops } = await capturedEnv({
    folders: (base) => [{ name: 'vf', mapped_path: path.join(base, 'vf'), virtual_path: '/vdir', quota_size: -1, quota_files: -1 }],
  });
  try {
    const c = await env.connect();
    await c.mkdir('/vdir/sub');
    assert.equal(ops()[0]?.file_path, path.join(env.base, 'vf', 'sub'));
  } finally {
    await env.cleanup();
  }
  assert.equal(goFileMode(0o644), '-rw-r--r--');
  assert.equal(goFileMode(0o40755), 'drwxr-xr-x');
  assert.equal(goFileMode(0o4755), 'urwxr-xr-x');
  assert.equal(goFileMode(0o3777), 'gtrwxrwxrwx');
  assert.equal(goFileMode(0o120777), 'Lrwxrwxrwx');
  assert.equal(goFileMode(0), '----------');
  assert.equal(formatChtime(new Date(2021, 0, 2, 3, 4, 5)), '2021-01-02T03:04:05');
});
