import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger, formatLogTime } from '../../../src/logger/index.js';
import { openLogFile, pruneOld, rotatedName } from '../../../src/logger/file.js';

function capture() {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { out, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

test('JSON lines with level label, local time and message; info level unless verbose', () => {
  const c = capture();
  const log = createLogger({ destination: c.out, pretty: false });
  log.debug('hidden');
  log.child({ protocol: 'SFTP', connection_id: 'SFTP_abc' }).info('hello');
  const [line, ...rest] = c.lines();
  assert.equal(rest.length, 0);
  const rec = JSON.parse(line!);
  assert.equal(rec.level, 'info');
  assert.equal(rec.message, 'hello');
  assert.equal(rec.protocol, 'SFTP');
  assert.equal(rec.connection_id, 'SFTP_abc');
  assert.match(rec.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
  assert.equal(rec.pid, undefined);
  const v = capture();
  createLogger({ destination: v.out, pretty: false, verbose: true }).debug('shown');
  assert.equal(JSON.parse(v.lines()[0]!).level, 'debug');
});

test('pretty output is human text, not JSON', () => {
  const c = capture();
  createLogger({ destination: c.out, pretty: true }).info('readable');
  const text = c.lines().join('\n');
  assert.match(text, /INFO/);
  assert.match(text, /readable/);
  assert.throws(() => JSON.parse(c.lines()[0]!));
});

test('formatLogTime and rotated names use local time', () => {
  const d = new Date(2021, 8, 11, 10, 20, 30, 5);
  assert.equal(formatLogTime(d), '2021-09-11T10:20:30.005');
  assert.equal(rotatedName('sftpgo.log', d), 'sftpgo-2021-09-11T10-20-30.005.log');
});

test('relative log path goes under the config dir', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-log-'));
  try {
    const log = createLogger({ filePath: 'logs.log', configDir: dir });
    log.info('to file');
    await new Promise((r) => setTimeout(r, 50));
    log.flush();
    await new Promise((r) => setTimeout(r, 50));
    const text = await readFile(path.join(dir, 'logs.log'), 'utf8');
    assert.equal(JSON.parse(text.trim()).message, 'to file');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('size rotation keeps a gzip-compressed backup', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-log-'));
  try {
    const stream = openLogFile({ filePath: path.join(dir, 'app.log'), maxSizeMB: 1, maxBackups: 2, maxAgeDays: 0, compress: true });
    // The first rotation that produced a file (the library may also report an empty name at open).
    const rotated = new Promise<string>((resolve) => stream.on('rotated', (n: string) => n && resolve(n)));
    const line = 'x'.repeat(1023) + '\n';
    for (let i = 0; i < 1100; i++) stream.write(line);
    const name = await rotated;
    assert.match(path.basename(name), /^app-.*\.log\.gz$/);
    stream.end();
    await once(stream, 'finish');
    const names = await readdir(dir);
    assert.ok(names.includes('app.log'));
    assert.ok(names.includes(path.basename(name)));
    const gz = await readFile(name);
    assert.deepEqual([...gz.subarray(0, 2)], [0x1f, 0x8b], 'gzip magic');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('pruneOld removes rotated files older than max age only', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-log-'));
  try {
    for (const n of ['app.log', 'app-old.log.gz', 'app-new.log', 'other.log']) await writeFile(path.join(dir, n), 'x');
    const old = new Date(Date.now() - 40 * 86_400_000);
    await utimes(path.join(dir, 'app-old.log.gz'), old, old);
    await utimes(path.join(dir, 'other.log'), old, old);
    assert.deepEqual(await pruneOld(dir, 'app.log', 28 * 86_400_000), ['app-old.log.gz']);
    assert.deepEqual((await readdir(dir)).sort(), ['app-new.log', 'app.log', 'other.log']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
