/**
 * FTP transfers with real clients (lftp, curl, rclone) against our server on 127.0.0.1:0: listing,
 * binary and large uploads/downloads checked by sha256, resume in both directions, rename,
 * mkdir/rmdir, delete, and MLSD listings as lftp parses them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, utimes, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { clientHome, curl, lftp, rclone, sha256File, show } from './clients.js';
import { startFtp, type FtpFixture } from './fixture.js';

const LARGE = 256 * 1024 * 1024;

/** Writes `size` random bytes to `file` in 4 MiB blocks. */
async function randomFile(file: string, size: number): Promise<void> {
  const out = createWriteStream(file);
  for (let left = size; left > 0; left -= 4 << 20) {
    if (!out.write(randomBytes(Math.min(left, 4 << 20)))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
}

describe('FTP transfers with lftp, curl and rclone', { ...needsBinaries('lftp', 'curl', 'rclone') }, () => {
  let f: FtpFixture;
  let shm: string;
  let home: { home: string; cleanup(): Promise<void> };
  let small: string;
  let large: string;
  const url = (p = '') => `ftp://127.0.0.1:${f.port}/${p}`;
  const auth = () => ['-u', `alice:${f.password}`];
  const target = () => ({ port: f.port, user: 'alice', password: f.password });
  const onServer = (p: string) => path.join(f.home, p);

  before(async () => {
    shm = await mkdtemp('/dev/shm/sftpgo-ftp-');
    f = await startFtp({ user: { home_dir: path.join(shm, 'home') } });
    await mkdir(f.home, { recursive: true });
    home = await clientHome();
    small = path.join(shm, 'binary.dat');
    large = path.join(shm, 'large.dat');
    await randomFile(small, 3 * 1024 * 1024 + 17);
    await randomFile(large, LARGE);
  });

  after(async () => {
    await f?.close();
    await home?.cleanup();
    await rm(shm, { recursive: true, force: true });
  });

  test('curl lists, uploads and downloads a binary file unchanged', async () => {
    let r = await curl(['-T', small, url('bin/curl.dat'), '--ftp-create-dirs', ...auth()], home.home);
    assert.equal(r.code, 0, show(r));
    assert.equal(await sha256File(onServer('bin/curl.dat')), await sha256File(small));
    r = await curl([url('bin/'), ...auth()], home.home);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /^-rw-.* 3145745 .* curl\.dat\r?$/m);
    const back = path.join(shm, 'curl-back.dat');
    r = await curl([url('bin/curl.dat'), '-o', back, ...auth()], home.home);
    assert.equal(r.code, 0, show(r));
    assert.equal(await sha256File(back), await sha256File(small));
  });

  test('lftp moves a 256 MiB file both ways unchanged', async () => {
    const back = path.join(shm, 'large-back.dat');
    const r = await lftp(target(), [`put ${large} -o large.dat`, `get large.dat -o ${back}`], home.home);
    assert.equal(r.code, 0, show(r));
    const want = await sha256File(large);
    assert.equal(await sha256File(onServer('large.dat')), want);
    assert.equal(await sha256File(back), want);
    await rm(onServer('large.dat'));
  });

  test('rclone copies up and down unchanged', async () => {
    let r = await rclone(target(), ['copyto', small, ':ftp:rc/one.dat'], home.home);
    assert.equal(r.code, 0, show(r));
    assert.equal(await sha256File(onServer('rc/one.dat')), await sha256File(small));
    const back = path.join(shm, 'rclone-back.dat');
    r = await rclone(target(), ['copyto', ':ftp:rc/one.dat', back], home.home);
    assert.equal(r.code, 0, show(r));
    assert.equal(await sha256File(back), await sha256File(small));
    r = await rclone(target(), ['lsl', ':ftp:rc'], home.home);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /3145745 .* one\.dat/);
  });

  test('downloads resume: curl -C - and lftp get -c continue a partial file', async () => {
    await copyFile(small, onServer('resume-down.dat'));
    const partial = path.join(shm, 'partial-down.dat');
    await copyFile(small, partial);
    await truncate(partial, 1_000_000);
    let r = await curl(['-C', '-', url('resume-down.dat'), '-o', partial, ...auth()], home.home);
    assert.equal(r.code, 0, show(r));
    assert.equal(await sha256File(partial), await sha256File(small));
    await truncate(partial, 2_222_222);
    r = await lftp(target(), [`get -c resume-down.dat -o ${partial}`], home.home);
    assert.equal(r.code, 0, show(r));
    assert.match(r.debug!, /REST 2222222/);
    assert.equal(await sha256File(partial), await sha256File(small));
  });

  test('uploads resume: curl -C - (APPE) and lftp put -c (REST + STOR) complete a partial file', async () => {
    const data = await readFile(small);
    await writeFile(onServer('resume-up.dat'), data.subarray(0, 1_500_000));
    let r = await curl(['-C', '-', '-T', small, url('resume-up.dat'), ...auth(), '-v'], home.home);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stderr, /APPE resume-up\.dat/);
    assert.equal(await sha256File(onServer('resume-up.dat')), await sha256File(small));
    await writeFile(onServer('resume-up.dat'), data.subarray(0, 700_001));
    r = await lftp(target(), [`put -c ${small} -o resume-up.dat`], home.home);
    assert.equal(r.code, 0, show(r));
    assert.match(r.debug!, /REST 700001/);
    assert.equal(await sha256File(onServer('resume-up.dat')), await sha256File(small));
  });

  test('lftp creates, renames and removes files and directories', async () => {
    const r = await lftp(target(), [
      'mkdir -p ops/sub', `put ${small} -o ops/sub/a.dat`, 'mv ops/sub/a.dat ops/sub/b.dat', 'mv ops/sub ops/moved',
      'rm ops/moved/b.dat', 'mkdir ops/gone', 'rmdir ops/gone', 'ls ops',
    ], home.home);
    assert.equal(r.code, 0, show(r));
    assert.deepEqual(await readdir(onServer('ops')), ['moved']);
    assert.deepEqual(await readdir(onServer('ops/moved')), []);
    assert.match(r.stdout, /^d.* moved\r?$/m);
  });

  test('curl renames and deletes with quoted commands; a missing file is 550', async () => {
    await writeFile(onServer('q1.txt'), 'q');
    let r = await curl([url(), ...auth(), '-Q', 'RNFR q1.txt', '-Q', 'RNTO q2.txt', '-Q', 'MKD qdir', '-Q', 'RMD qdir', '-Q', 'DELE q2.txt'], home.home);
    assert.equal(r.code, 0, show(r));
    await assert.rejects(stat(onServer('q1.txt')));
    await assert.rejects(stat(onServer('q2.txt')));
    r = await curl([url(), ...auth(), '-Q', 'DELE nope.txt'], home.home);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /550/);
  });

  test('lftp reads MLSD listings (sizes, dates, permissions)', async () => {
    await mkdir(onServer('mlsd/inner'), { recursive: true });
    await writeFile(onServer('mlsd/file one.txt'), 'x'.repeat(1234));
    const when = new Date('2021-03-04T05:06:07Z');
    await utimes(onServer('mlsd/file one.txt'), when, when);
    const r = await lftp(target(), ['cls -l --time-style=+%Y-%m-%dT%H:%M:%S mlsd/'], home.home, ['set ftp:use-mlsd yes']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.debug!, /---> MLSD/);
    assert.match(r.stdout, /-rw-r--r-- +1234 2021-03-04T05:06:07 mlsd\/file one\.txt/);
    assert.match(r.stdout, /drwxr-xr-x .* mlsd\/inner\//);
  });
});
