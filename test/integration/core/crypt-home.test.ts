/**
 * A user whose home is encrypted local storage, driven through the core Connection: contents
 * round-trip, the disk holds only ciphertext, quota counts on-disk sizes (as SFTPGo), refused
 * operations carry the right error kind, and a failed upload leaves nothing behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { encryptedSize } from '../../../src/vfs/crypt/dare.js';
import { ErrorKind } from '../../../src/util/errors.js';
import { kindOf } from './fixture.js';
import { downloadAll, makeBackendEnv, pattern, sha256, uploadAll, type BackendEnvOptions } from './backend-env.js';

const crypt: BackendEnvOptions['filesystem'] = (_base, seal) => ({ provider: 4, cryptconfig: { passphrase: seal('home passphrase') } });
const onDisk = (plain: number) => 33 + encryptedSize(plain);

test('crypt home: uploads and downloads round-trip with checksums; the disk holds ciphertext', async () => {
  const env = await makeBackendEnv({ filesystem: crypt });
  try {
    const data = pattern(300_000);
    await uploadAll(env.conn, '/big.bin', data, 30_000);
    assert.equal(sha256(await downloadAll(env.conn, '/big.bin')), sha256(data));
    assert.equal(sha256(await downloadAll(env.conn, '/big.bin', 70_000)), sha256(data.subarray(70_000)), 'download from an offset');
    const st = await env.conn.stat('/big.bin');
    assert.equal(st.size, data.length, 'clients see the plaintext size');
    const raw = await readFile(path.join(env.home, 'big.bin'));
    assert.equal(raw.length, onDisk(data.length));
    assert.equal(raw.subarray(33).includes(data.subarray(1000, 1032)), false, 'no plaintext on disk');
    await env.conn.mkdir('/dir');
    await env.conn.rename('/big.bin', '/dir/moved.bin');
    assert.equal(sha256(await downloadAll(env.conn, '/dir/moved.bin')), sha256(data));
    const listed = [];
    for await (const e of env.conn.list('/dir')) listed.push([e.name, e.size]);
    assert.deepEqual(listed, [['moved.bin', data.length]]);
  } finally {
    await env.cleanup();
  }
});

test('crypt home: quota counts on-disk sizes for uploads, overwrites, renames and deletes', async () => {
  const env = await makeBackendEnv({ filesystem: crypt });
  try {
    const quota = () => env.provider.users.getUsedQuota('alice');
    await uploadAll(env.conn, '/a', pattern(1000));
    assert.deepEqual(await quota(), { usedSize: onDisk(1000), usedFiles: 1 });
    await uploadAll(env.conn, '/b', pattern(70_000));
    assert.deepEqual(await quota(), { usedSize: onDisk(1000) + onDisk(70_000), usedFiles: 2 });
    await uploadAll(env.conn, '/a', pattern(10));
    assert.deepEqual(await quota(), { usedSize: onDisk(10) + onDisk(70_000), usedFiles: 2 }, 'overwrite');
    await env.conn.rename('/a', '/b');
    assert.deepEqual(await quota(), { usedSize: onDisk(10), usedFiles: 1 }, 'rename over a file');
    await env.conn.remove('/b');
    assert.deepEqual(await quota(), { usedSize: 0, usedFiles: 0 });
  } finally {
    await env.cleanup();
  }
});

test('crypt home: resume, append and truncate are refused as not supported', async () => {
  const env = await makeBackendEnv({ filesystem: crypt });
  try {
    await uploadAll(env.conn, '/f', pattern(100));
    assert.equal(await kindOf(env.conn.openUpload('/f', { mode: 'resume', offset: 100 })), ErrorKind.NotSupported);
    assert.equal(await kindOf(env.conn.openUpload('/f', { mode: 'append' })), ErrorKind.NotSupported);
    assert.equal(await kindOf(env.conn.setStat('/f', { size: 10 })), ErrorKind.NotSupported);
    const up = await env.conn.openUpload('/g', { mode: 'truncate' });
    assert.equal(await kindOf(up.truncate(5)), ErrorKind.NotSupported);
    await up.abort();
    assert.equal(sha256(await downloadAll(env.conn, '/f')), sha256(pattern(100)), 'the file is untouched');
  } finally {
    await env.cleanup();
  }
});

test('crypt home: an aborted upload deletes the partial file and gives the quota back', async () => {
  const env = await makeBackendEnv({ filesystem: crypt });
  try {
    await uploadAll(env.conn, '/keep', pattern(5000));
    const t = await env.conn.openUpload('/partial', { mode: 'truncate' });
    await t.write(pattern(200_000), 0);
    await t.abort(new Error('client gone'));
    assert.deepEqual((await readdir(env.home)).sort(), ['keep']);
    assert.deepEqual(await env.provider.users.getUsedQuota('alice'), { usedSize: onDisk(5000), usedFiles: 1 });
    // Overwriting an existing file in place and failing: the old file is gone too (SFTPGo's behaviour).
    const o = await env.conn.openUpload('/keep', { mode: 'truncate' });
    await o.write(pattern(10), 0);
    await o.abort(new Error('client gone'));
    assert.deepEqual(await readdir(env.home), []);
    assert.deepEqual(await env.provider.users.getUsedQuota('alice'), { usedSize: 0, usedFiles: 0 });
  } finally {
    await env.cleanup();
  }
});

test('crypt home: atomic uploads write ciphertext to the temp file and commit it', async () => {
  const env = await makeBackendEnv({ filesystem: crypt, common: { upload_mode: 1 } });
  try {
    const data = pattern(80_000, 9);
    await uploadAll(env.conn, '/atomic', data);
    assert.deepEqual(await readdir(env.home), ['atomic']);
    assert.equal((await stat(path.join(env.home, 'atomic'))).size, onDisk(data.length));
    assert.equal(sha256(await downloadAll(env.conn, '/atomic')), sha256(data));
    const t = await env.conn.openUpload('/atomic', { mode: 'truncate' });
    await t.write(pattern(10), 0);
    await t.abort(new Error('client gone'));
    assert.deepEqual(await readdir(env.home), ['atomic'], 'the failed atomic upload left the old file in place');
    assert.equal(sha256(await downloadAll(env.conn, '/atomic')), sha256(data));
  } finally {
    await env.cleanup();
  }
});

test('crypt home: an out-of-order write pipeline is reordered; a rewrite is refused', async () => {
  const env = await makeBackendEnv({ filesystem: crypt });
  try {
    const data = pattern(40_000, 4);
    const t = await env.conn.openUpload('/ooo', { mode: 'truncate' });
    await Promise.all([t.write(data.subarray(20_000), 20_000), t.write(data.subarray(10_000, 20_000), 10_000), t.write(data.subarray(0, 10_000), 0)]);
    await t.close();
    assert.equal(sha256(await downloadAll(env.conn, '/ooo')), sha256(data));
    const r = await env.conn.openUpload('/rw', { mode: 'truncate' });
    await r.write(Buffer.from('abc'), 0);
    assert.equal(await kindOf(r.write(Buffer.from('x'), 1)), ErrorKind.NotSupported);
  } finally {
    await env.cleanup();
  }
});
