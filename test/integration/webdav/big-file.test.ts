/**
 * A 1 GiB file up and down through curl, under /dev/shm, with sha256 compared on both sides, while
 * the server runs in a child process whose peak RSS (VmHWM) must stay under 200 MB: PUT bodies and
 * GET responses are streamed, never held whole in memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { needs, needsBinaries } from '../../helpers/require.js';
import { run } from './harness.js';

const GiB = 1024 * 1024 * 1024;
const RSS_LIMIT_KB = 200 * 1024;

async function writeRandom(file: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const fh = await open(file, 'w');
  const buf = Buffer.alloc(4 * 1024 * 1024);
  for (let done = 0; done < size; done += buf.length) {
    randomFillSync(buf);
    hash.update(buf);
    await fh.write(buf);
  }
  await fh.close();
  return hash.digest('hex');
}

async function fileSha(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** sha256 of a download streamed from curl's stdout (no third copy on disk). */
function downloadSha(url: string): Promise<{ sha: string; code: number }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const child = spawn('curl', ['-sS', '--fail', '-u', 'alice:secret', url], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (d: Buffer) => hash.update(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ sha: hash.digest('hex'), code: code ?? -1 }));
  });
}

async function peakRssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
}

test('1 GiB upload and download: checksums match, server RSS stays under 200 MB', {
  ...needsBinaries('curl'), ...needs(existsSync('/dev/shm') && existsSync('/proc/self/status'), 'needs /dev/shm and /proc'), timeout: 600_000,
}, async () => {
  const dir = await mkdtemp('/dev/shm/sftpgo-dav-big-');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'child-server.ts'), 'alice', 'secret'], {
    env: { ...process.env, TMPDIR: dir }, stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const { url, home } = JSON.parse(line) as { url: string; home: string };
    const src = path.join(dir, 'src.bin');
    const want = await writeRandom(src, GiB);
    const before = await peakRssKb(child.pid!);

    const up = await run('curl', ['-sS', '--fail', '-u', 'alice:secret', '-T', src, '-o', '/dev/null', '-w', '%{http_code}', `${url}big.bin`]);
    assert.equal(up.stdout, '201', up.stderr);
    await rm(src);
    assert.equal(await fileSha(path.join(home, 'big.bin')), want, 'stored content');
    const down = await downloadSha(`${url}big.bin`);
    assert.equal(down.code, 0);
    assert.equal(down.sha, want, 'downloaded content');

    const peak = await peakRssKb(child.pid!);
    process.stdout.write(`# server peak RSS: ${(before / 1024).toFixed(0)} MB before, ${(peak / 1024).toFixed(0)} MB after 1 GiB up and down\n`);
    assert.ok(peak < RSS_LIMIT_KB, `server peak RSS ${peak} kB >= ${RSS_LIMIT_KB} kB`);
  } finally {
    child.stdin!.end();
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    await rm(dir, { recursive: true, force: true });
  }
});
