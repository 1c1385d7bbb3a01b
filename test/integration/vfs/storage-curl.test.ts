/**
 * Encrypted and SFTP homes end to end: curl over WebDAV into the whole server (memory provider,
 * real core), sha256 compared on both sides, a ranged GET decrypting from the right package, and
 * the bytes at rest checked (ciphertext for crypt, plaintext on the remote sshd for SFTP).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encryptedSize } from '../../../src/vfs/crypt/dare.js';
import { needs, needsBinaries } from '../../helpers/require.js';
import { startSshd, type Sshd } from '../../helpers/sshd.js';
import { run, startDav } from '../webdav/harness.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const data = Buffer.alloc(700_000);
for (let i = 0; i < data.length; i++) data[i] = (i * 211 + 17) & 0xff;

const started = await startSshd();
const sshd: Sshd | undefined = typeof started === 'string' ? undefined : started;
after(() => sshd?.stop());

/** PUT, GET, ranged GET through curl; returns nothing, asserts on the way. */
async function roundTrip(url: string, dir: string): Promise<void> {
  const src = path.join(dir, 'src.bin');
  await writeFile(src, data);
  const up = await run('curl', ['-sS', '--fail', '-u', 'alice:secret', '-T', src, '-o', '/dev/null', '-w', '%{http_code}', url]);
  assert.equal(up.code, 0, up.stderr);
  assert.equal(up.stdout, '201');
  const whole = path.join(dir, 'whole.bin');
  assert.equal((await run('curl', ['-sS', '--fail', '-u', 'alice:secret', '-o', whole, url])).code, 0);
  assert.equal(sha(await readFile(whole)), sha(data));
  const part = path.join(dir, 'part.bin');
  const ranged = await run('curl', ['-sS', '--fail', '-u', 'alice:secret', '-r', '200000-', '-o', part, '-w', '%{http_code}', url]);
  assert.equal(ranged.stdout, '206');
  assert.equal(sha(await readFile(part)), sha(data.subarray(200_000)));
}

test('crypt home over WebDAV with curl: round trip, ranged download, ciphertext at rest', needsBinaries('curl'), async () => {
  const dav = await startDav({
    users: [{ username: 'alice', password: 'secret', filesystem: { provider: 4, cryptconfig: { passphrase: { status: 'Plain', payload: 'dav secret' } } } }],
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-curl-'));
  try {
    await roundTrip(dav.at('file.bin'), dir);
    const home = path.join(dav.ctx.dir, 'users', 'alice');
    assert.equal((await stat(path.join(home, 'file.bin'))).size, 33 + encryptedSize(data.length));
    const raw = await readFile(path.join(home, 'file.bin'));
    assert.equal(raw[0], 0x10);
    assert.equal(raw.includes(data.subarray(5000, 5064)), false);
  } finally {
    await dav.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('SFTP home over WebDAV with curl: round trip, ranged download, plaintext on the remote', { ...needsBinaries('curl'), ...needs(sshd !== undefined, `sftp: ${String(started)}`) }, async () => {
  const s = sshd!;
  const remote = await mkdtemp(path.join(s.dir, 'dav-remote-'));
  await mkdir(remote, { recursive: true });
  const dav = await startDav({
    users: [{
      username: 'alice', password: 'secret',
      filesystem: {
        provider: 5,
        sftpconfig: {
          endpoint: `127.0.0.1:${s.port}`, username: s.username, private_key: { status: 'Plain', payload: s.clientKey },
          fingerprints: [s.hostFingerprint], prefix: remote,
        },
      },
    }],
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-curl-'));
  try {
    await roundTrip(dav.at('file.bin'), dir);
    assert.equal(sha(await readFile(path.join(remote, 'file.bin'))), sha(data));
  } finally {
    await dav.close();
    await rm(dir, { recursive: true, force: true });
  }
});
