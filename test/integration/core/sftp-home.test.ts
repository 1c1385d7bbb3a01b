/**
 * A user whose home is remote SFTP storage (a private OpenSSH sshd), driven through the core
 * Connection, with the private key sealed by the KMS: contents round-trip, quota, rename, resume
 * (unbuffered) or its refusal (buffered), atomic uploads.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorKind } from '../../../src/util/errors.js';
import { assertAvailable, needs } from '../../helpers/require.js';
import { startSshd, type Sshd } from '../../helpers/sshd.js';
import { kindOf } from './fixture.js';
import { downloadAll, makeBackendEnv, pattern, sha256, uploadAll, type BackendEnv } from './backend-env.js';

const started = await startSshd();
const sshd: Sshd | undefined = typeof started === 'string' ? undefined : started;
const reason = `sftp home: ${typeof started === 'string' ? started : ''}`;
after(() => sshd?.stop());
const available = needs(sshd !== undefined, reason);

async function sftpEnv(extra: Record<string, unknown> = {}, common?: Parameters<typeof makeBackendEnv>[0]['common']): Promise<BackendEnv & { remote: string }> {
  assertAvailable(sshd !== undefined, reason);
  const s = sshd!;
  let remote = '';
  const env = await makeBackendEnv({
    common,
    filesystem: (base, seal) => {
      remote = path.join(s.dir, path.basename(base));
      return {
        provider: 5,
        sftpconfig: {
          endpoint: `127.0.0.1:${s.port}`, username: s.username, private_key: seal(s.clientKey), fingerprints: [s.hostFingerprint],
          prefix: remote, ...extra,
        },
      };
    },
  });
  await mkdir(remote, { recursive: true });
  return { ...env, remote };
}

test('sftp home: uploads and downloads round-trip with checksums, from offsets too', available, async () => {
  const env = await sftpEnv();
  try {
    const data = pattern(2_000_000, 5);
    await uploadAll(env.conn, '/big.bin', data, 32 * 1024);
    assert.equal(sha256(await readFile(path.join(env.remote, 'big.bin'))), sha256(data), 'the remote file is the plaintext');
    assert.equal(sha256(await downloadAll(env.conn, '/big.bin')), sha256(data));
    assert.equal(sha256(await downloadAll(env.conn, '/big.bin', 1_234_567)), sha256(data.subarray(1_234_567)));
    await env.conn.mkdir('/d');
    await env.conn.rename('/big.bin', '/d/moved.bin');
    assert.deepEqual(await readdir(path.join(env.remote, 'd')), ['moved.bin']);
    assert.equal((await env.conn.stat('/d/moved.bin')).size, data.length);
  } finally {
    await env.cleanup();
  }
});

test('sftp home: quota follows uploads, overwrites, renames and deletes', available, async () => {
  const env = await sftpEnv();
  try {
    const quota = () => env.provider.users.getUsedQuota('alice');
    await uploadAll(env.conn, '/a', pattern(1000));
    await uploadAll(env.conn, '/b', pattern(5000));
    assert.deepEqual(await quota(), { usedSize: 6000, usedFiles: 2 });
    await env.conn.rename('/a', '/b');
    assert.deepEqual(await quota(), { usedSize: 1000, usedFiles: 1 });
    await env.conn.remove('/b');
    assert.deepEqual(await quota(), { usedSize: 0, usedFiles: 0 });
  } finally {
    await env.cleanup();
  }
});

test('sftp home: resume works unbuffered and is refused with buffer_size', available, async () => {
  const env = await sftpEnv();
  const buffered = await sftpEnv({ buffer_size: 1 });
  try {
    await uploadAll(env.conn, '/r', Buffer.from('hello '));
    const t = await env.conn.openUpload('/r', { mode: 'resume', offset: 6 });
    await t.write(Buffer.from('world'), 6);
    await t.close();
    assert.equal((await downloadAll(env.conn, '/r')).toString(), 'hello world');
    await uploadAll(buffered.conn, '/r', pattern(3 * 1024 * 1024, 2));
    assert.equal(sha256(await downloadAll(buffered.conn, '/r')), sha256(pattern(3 * 1024 * 1024, 2)));
    assert.equal(await kindOf(buffered.conn.openUpload('/r', { mode: 'resume', offset: 6 })), ErrorKind.NotSupported);
    assert.equal(await kindOf(buffered.conn.setStat('/r', { size: 1 })), ErrorKind.NotSupported);
  } finally {
    await env.cleanup();
    await buffered.cleanup();
  }
});

test('sftp home: atomic uploads land under their name only when complete', available, async () => {
  const env = await sftpEnv({}, { upload_mode: 1 });
  try {
    await uploadAll(env.conn, '/f', Buffer.from('first'));
    const t = await env.conn.openUpload('/f', { mode: 'truncate' });
    await t.write(Buffer.from('partial'), 0);
    assert.equal((await readdir(env.remote)).length, 2, 'the upload goes to a temp name next to the target');
    await t.abort(new Error('client gone'));
    assert.deepEqual(await readdir(env.remote), ['f']);
    assert.equal((await downloadAll(env.conn, '/f')).toString(), 'first');
  } finally {
    await env.cleanup();
  }
});
