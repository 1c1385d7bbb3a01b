/**
 * Core rules seen through FTP with real clients: a denied permission answers 550, quota stops an
 * upload with 552 (nothing partial kept), and in atomic upload mode (upload_mode 1) a client
 * killed mid-transfer leaves neither the target nor a temp file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { needsBinaries } from '../../helpers/require.js';
import { clientHome, curl, lftp, show } from './clients.js';
import { startFtp } from './fixture.js';

/** Polls `cond` (no timing assertion: the test fails only if it never holds). */
async function until(cond: () => boolean | Promise<boolean>, what: string, tries = 600): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await cond()) return;
    await sleep(50);
  }
  throw new Error(`never happened: ${what}`);
}

describe('FTP: permissions, quota and atomic uploads', { ...needsBinaries('curl', 'lftp') }, () => {
  let home: { home: string; cleanup(): Promise<void> };
  let payload: string;

  before(async () => {
    home = await clientHome();
    payload = path.join(home.home, 'three-mib.bin');
    await writeFile(payload, randomBytes(3 * 1024 * 1024));
  });

  after(async () => {
    await home?.cleanup();
  });

  test('a user denied upload and create_dirs gets 550 from curl and lftp', async () => {
    const f = await startFtp({ user: { permissions: { '/': ['list', 'download'], '/open': ['*'] } } });
    try {
      await mkdir(path.join(f.home, 'open'), { recursive: true });
      let r = await curl(['-T', payload, `ftp://127.0.0.1:${f.port}/denied.bin`, '-u', `alice:${f.password}`, '-v'], home.home);
      assert.notEqual(r.code, 0, show(r));
      assert.match(r.stderr, /< 550 permission denied/);
      await assert.rejects(stat(path.join(f.home, 'denied.bin')));
      r = await curl(['-T', payload, `ftp://127.0.0.1:${f.port}/open/allowed.bin`, '-u', `alice:${f.password}`], home.home);
      assert.equal(r.code, 0, show(r));
      const l = await lftp({ port: f.port, user: 'alice', password: f.password }, ['mkdir nope'], home.home);
      assert.notEqual(l.code, 0, show(l));
      assert.match(l.debug!, /<--- 550 permission denied/);
    } finally {
      await f.close();
    }
  });

  test('quota: an upload past quota_size is stopped with 552 and not kept; quota_files refuses at open', async () => {
    const f = await startFtp({ user: { quota_size: 1024 * 1024, quota_files: 2 } });
    try {
      await mkdir(f.home, { recursive: true });
      let r = await curl(['-T', payload, `ftp://127.0.0.1:${f.port}/big.bin`, '-u', `alice:${f.password}`, '-v'], home.home);
      assert.notEqual(r.code, 0, show(r));
      assert.match(r.stderr, /< 552 /);
      await assert.rejects(stat(path.join(f.home, 'big.bin')));
      for (const name of ['a.txt', 'b.txt']) {
        r = await curl(['-T', '-', `ftp://127.0.0.1:${f.port}/${name}`, '-u', `alice:${f.password}`], home.home, { input: 'small' });
        assert.equal(r.code, 0, show(r));
      }
      r = await curl(['-T', '-', `ftp://127.0.0.1:${f.port}/c.txt`, '-u', `alice:${f.password}`, '-v'], home.home, { input: 'one too many' });
      assert.notEqual(r.code, 0, show(r));
      assert.match(r.stderr, /< 552 /);
    } finally {
      await f.close();
    }
  });

  test('atomic mode: a client killed mid-upload leaves no partial or temp file', async () => {
    const f = await startFtp({ config: { common: { upload_mode: 1 } }, user: { upload_bandwidth: 2048 } });
    try {
      await mkdir(f.home, { recursive: true });
      const big = path.join(home.home, 'forty-mib.bin');
      await writeFile(big, randomBytes(40 * 1024 * 1024));
      let pid = 0;
      const running = curl(['-T', big, `ftp://127.0.0.1:${f.port}/dropped.bin`, '-u', `alice:${f.password}`], home.home, { onSpawn: (p) => (pid = p) });
      const uploading = () => f.ctx.core.connections.list().some((c) => c.active_transfers.some((t) => t.size > 256 * 1024));
      await until(uploading, 'an upload in progress');
      const temps = () => readdir(f.home).then((n) => n.filter((x) => x.startsWith('.sftpgo-upload.')));
      assert.equal((await temps()).length, 1, 'the upload writes to a temp file');
      process.kill(pid, 'SIGKILL');
      await running;
      await until(() => f.ctx.core.connections.list().length === 0, 'the session to end');
      await until(async () => (await temps()).length === 0, 'the temp file to go');
      assert.deepEqual(await readdir(f.home), []);
      await rm(big);
    } finally {
      await f.close();
    }
  });
});
