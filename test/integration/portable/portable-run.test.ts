/**
 * `runPortable` end to end in-process: real config loading, real memory provider, real dump
 * import and password hashing; only the file protocol servers are stand-ins (SFTP/FTP/WebDAV are
 * built elsewhere). Checks what portable builds (config, user), prints, refuses, and leaves behind.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import type { AppContext } from '../../../src/app/context.js';
import type { ManagedService } from '../../../src/app/lifecycle.js';
import type { MdnsFactory } from '../../../src/app/portable/mdns.js';
import { runPortable, type PortableRuntime } from '../../../src/app/portable/run.js';
import type { PortableFlags } from '../../../src/app/portable/options.js';
import { defaultWiring } from '../../../src/app/wiring.js';
import { baseFlags } from '../../unit/app/portable-fixture.js';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => { text += d; });
  return { stream, text: () => text };
}

interface Run {
  ctx: AppContext;
  out: () => string;
  err: () => string;
  events: string[];
  stop(): Promise<number>;
}

/** Dirs of one scenario: where portable starts, what it shares, where config is looked up. */
async function dirs() {
  const base = await mkdtemp(join(tmpdir(), 'sftpgo-portable-run-'));
  const d = { base, cwd: join(base, 'cwd'), shared: join(base, 'shared'), config: join(base, 'config'), home: join(base, 'home') };
  for (const p of [d.cwd, d.shared, d.config, d.home]) await mkdir(p);
  return d;
}

/** Stand-in file servers: record start/stop and report their configured bindings. */
function fakeServers(ctx: AppContext, events: string[]): ManagedService[] {
  const entries: [string, { port: number; address: string }[]][] = [['SFTP', ctx.config.sftpd.bindings], ['FTP', ctx.config.ftpd.bindings], ['WebDAV', ctx.config.webdavd.bindings]];
  return entries.filter(([, b]) => b.some((x) => x.port > 0)).map(([name, bindings]) => ({
    name,
    async start() { events.push(`start ${name}`); },
    async stop() { events.push(`stop ${name}`); },
    addresses: () => bindings.map((b) => ({ address: b.address || '0.0.0.0', port: b.port })),
  }));
}

/** Runs still up when their test failed half-way: stopped at the end so their run dirs go too. */
const live: Run[] = [];
after(async () => { for (const r of live) await r.stop(); });

async function start(flags: PortableFlags, opts: { cwd: string; configDir: string; env: NodeJS.ProcessEnv; mdns?: MdnsFactory }): Promise<Run | { code: number; err: string; built: boolean }> {
  const out = capture();
  const err = capture();
  const signals = new EventEmitter();
  const events: string[] = [];
  let ctx: AppContext | undefined;
  let ready!: () => void;
  const readyP = new Promise<void>((r) => { ready = r; });
  const runtime: PortableRuntime = {
    stdout: out.stream, stderr: err.stream, env: opts.env, build: { version: '2.1.2', commit: 't', buildDate: '' },
    configDir: opts.configDir, cwd: opts.cwd, signals, mdns: opts.mdns,
    wiring: {
      ...defaultWiring,
      createLogger: () => pino({ level: 'silent' }),
      protocolServers: (c) => { ctx = c; return fakeServers(c, events); },
    },
    onReady: () => ready(),
  };
  const done = runPortable(runtime, flags);
  const first = await Promise.race([readyP.then(() => 'ready' as const), done]);
  if (first !== 'ready') return { code: first, err: err.text(), built: ctx !== undefined };
  const run: Run = {
    ctx: ctx!, out: out.text, err: err.text, events,
    async stop() {
      signals.emit('SIGTERM', 'SIGTERM');
      return done;
    },
  };
  live.push(run);
  return run;
}

test('portable serves the directory with a generated password, prints how to connect, leaves nothing behind', async () => {
  const d = await dirs();
  try {
    const r = await start({ ...baseFlags, directory: 'shared', sftpdPort: 0 }, { cwd: d.base, configDir: d.config, env: { HOME: d.home } });
    assert.ok('ctx' in r, `portable did not start: ${'err' in r ? r.err : ''}`);
    const { ctx } = r;
    assert.equal(ctx.config.data_provider.driver, 'memory');
    assert.deepEqual(ctx.config.httpd.bindings, []);
    assert.equal(ctx.config.sftpd.max_auth_tries, 12);
    const port = ctx.config.sftpd.bindings[0]!.port;
    assert.ok(port >= 49152 && port <= 64151, `random port ${port} in SFTPGo's range`);
    const password = /password: "([A-Za-z0-9]{8})"/.exec(r.out())?.[1];
    assert.ok(password, `generated password printed: ${r.out()}`);
    assert.match(r.out(), new RegExp(`sftp -P ${port} user@127\\.0\\.0\\.1`));
    assert.match(r.out(), new RegExp(`SFTP port: ${port}`));
    const user = await ctx.data.getUser('user');
    assert.equal(user.home_dir, d.shared);
    assert.deepEqual(user.permissions, { '/': ['list', 'download'] });
    assert.equal(await ctx.data.verifyPassword(password, user.password!), true, 'the printed password logs in');
    assert.equal(await ctx.data.verifyPassword('wrong', user.password!), false);
    const runDir = ctx.configDir;
    assert.ok(runDir.startsWith(tmpdir()) && existsSync(runDir));
    assert.equal(await r.stop(), 0);
    assert.equal(existsSync(runDir), false, 'the run dir is removed');
    for (const dir of [d.cwd, d.shared, d.config, d.home]) assert.deepEqual(await readdir(dir), [], `${dir} untouched`);
    assert.deepEqual(await readdir(d.base), ['config', 'cwd', 'home', 'shared']);
  } finally {
    await rm(d.base, { recursive: true, force: true });
  }
});

test('user flags: given password redacted, keys, permissions, patterns; FTP and WebDAV only when asked', async () => {
  const d = await dirs();
  try {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test';
    const flags = {
      ...baseFlags, directory: d.shared, username: 'alice', password: 'secret', publicKeys: [key], permissions: ['list,download,upload'],
      allowedPatterns: ['/::*.txt'], deniedPatterns: ['/::*.exe'], ftpdPort: 0, sshCommands: ['md5sum,pwd'],
    };
    const r = await start(flags, { cwd: d.cwd, configDir: d.config, env: { HOME: d.home } });
    assert.ok('ctx' in r, `portable did not start: ${'err' in r ? r.err : ''}`);
    assert.match(r.out(), /user: "alice", password: "\[redacted\]"/);
    assert.doesNotMatch(r.out(), /secret/);
    const user = await r.ctx.data.getUser('alice');
    assert.deepEqual(user.public_keys, [key]);
    assert.deepEqual(user.permissions, { '/': ['list', 'download', 'upload'] });
    assert.deepEqual(user.filters?.file_patterns, [{ path: '/', allowed_patterns: ['*.txt'], denied_patterns: ['*.exe'] }]);
    assert.equal(await r.ctx.data.verifyPassword('secret', user.password!), true);
    assert.deepEqual(r.ctx.config.sftpd.enabled_ssh_commands, ['md5sum', 'pwd']);
    const ftp = r.ctx.config.ftpd.bindings[0]!.port;
    assert.ok(ftp >= 49152 && ftp <= 64151);
    assert.equal(r.ctx.config.ftpd.banner, 'SFTPGo portable 2.1.2 ready');
    assert.deepEqual(r.ctx.config.webdavd.bindings, []);
    assert.match(r.out(), new RegExp(`lftp -p ${ftp} -u alice 127\\.0\\.0\\.1`));
    assert.deepEqual(r.events, ['start SFTP', 'start FTP']);
    assert.equal(await r.stop(), 0);
  } finally {
    await rm(d.base, { recursive: true, force: true });
  }
});

test('a public key alone means no password at all', async () => {
  const d = await dirs();
  try {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test';
    const r = await start({ ...baseFlags, directory: d.shared, publicKeys: [key] }, { cwd: d.cwd, configDir: d.config, env: { HOME: d.home } });
    assert.ok('ctx' in r);
    assert.match(r.out(), /password: ""/);
    assert.equal((await r.ctx.data.getUser('user')).password, undefined);
    await r.stop();
  } finally {
    await rm(d.base, { recursive: true, force: true });
  }
});

test('the config file still applies (common settings) under the portable layer; env can pin the listen address', async () => {
  const d = await dirs();
  try {
    await writeFile(join(d.config, 'sftpgo.json'), JSON.stringify({
      common: { idle_timeout: 7 }, data_provider: { driver: 'sqlite', name: 'portable-must-not-create.db' },
      httpd: { bindings: [{ port: 8080 }] }, ftpd: { bindings: [{ port: 2121 }] },
    }));
    const env = { HOME: d.home, SFTPGO_SFTPD__BINDINGS__0__ADDRESS: '127.0.0.1' };
    const r = await start({ ...baseFlags, directory: d.shared, sftpdPort: 50022 }, { cwd: d.cwd, configDir: d.config, env });
    assert.ok('ctx' in r, `portable did not start: ${'err' in r ? r.err : ''}`);
    assert.equal(r.ctx.config.common.idle_timeout, 7);
    assert.equal(r.ctx.config.data_provider.driver, 'memory');
    assert.deepEqual(r.ctx.config.httpd.bindings, []);
    assert.deepEqual(r.ctx.config.ftpd.bindings, [], 'FTP from the file is off: not asked for');
    assert.deepEqual(r.ctx.config.sftpd.bindings.map((b) => [b.address, b.port]), [['127.0.0.1', 50022]]);
    assert.match(r.out(), /sftp -P 50022 user@127\.0\.0\.1/);
    assert.doesNotMatch(r.out(), /another machine/);
    await r.stop();
    assert.deepEqual((await readdir(d.config)).sort(), ['sftpgo.json']);
  } finally {
    await rm(d.base, { recursive: true, force: true });
  }
});

test('a storage backend missing required settings is refused with the fields named, before anything listens', async () => {
  const d = await dirs();
  try {
    const r = await start({ ...baseFlags, directory: d.shared, filesystem: { provider: 1, s3config: {} } },
      { cwd: d.cwd, configDir: d.config, env: { HOME: d.home } });
    assert.ok('code' in r);
    assert.equal(r.code, 1);
    assert.match(r.err, /filesystem\.s3config\.bucket: is required; filesystem\.s3config\.region: is required/);
  } finally {
    await rm(d.base, { recursive: true, force: true });
  }
});

test('bad flags are refused with the reason: port out of range, bad pattern', async () => {
  const d = await dirs();
  try {
    const bad = await start({ ...baseFlags, sftpdPort: 65536 }, { cwd: d.cwd, configDir: d.config, env: { HOME: d.home } });
    assert.ok('code' in bad && bad.code === 1 && /--sftpd-port 65536 is not a TCP port/.test(bad.err));
    const pat = await start({ ...baseFlags, directory: d.shared, deniedPatterns: ['*.exe'] }, { cwd: d.cwd, configDir: d.config, env: { HOME: d.home } });
    assert.ok('code' in pat && pat.code === 1 && /invalid pattern filter "\*\.exe"/.test(pat.err), 'code' in pat ? pat.err : 'started');
  } finally {
    await rm(d.base, { recursive: true, force: true });
  }
});

test('with --advertise-service the mDNS records go away on SIGTERM before the servers stop', async () => {
  const d = await dirs();
  try {
    let events: string[] = [];
    const mdns: MdnsFactory = () => ({
      publish: (c) => { events.push(`publish ${c.type} ${c.port} ${JSON.stringify(c.txt)}`); return {}; },
      unpublishAll: (cb) => { events.push('unpublish'); cb(); },
      destroy: () => { events.push('destroy'); },
    });
    const r = await start({ ...baseFlags, directory: d.shared, sftpdPort: 50023, password: 'pw', advertiseService: true, advertiseCredentials: true },
      { cwd: d.cwd, configDir: d.config, env: { HOME: d.home }, mdns });
    assert.ok('ctx' in r);
    assert.deepEqual(events, ['publish sftp-ssh 50023 {"version":"2.1.2","user":"user","password":"pw"}']);
    events = r.events;
    events.length = 0;
    assert.equal(await r.stop(), 0);
    assert.deepEqual(events, ['unpublish', 'destroy', 'stop SFTP']);
  } finally {
    await rm(d.base, { recursive: true, force: true });
  }
});
