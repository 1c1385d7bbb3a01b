/**
 * Host keys (INVENTORY §3.1): with no `host_keys` configured, RSA 4096, ECDSA P-256 and Ed25519
 * keys are generated in the config dir on first start (private key 0600, `.pub` beside it), reused
 * on the next start, reported with their SHA256 fingerprints, and offered to clients (never with
 * SHA-1 `ssh-rsa` signatures).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { SftpServer } from '../../../src/protocols/sftp/server.js';
import { run, sshOptions, startServer } from './harness.js';

test('default host keys are generated once with 0600 modes and offered to clients', needsBinaries('ssh', 'ssh-keygen'), async () => {
  const h = await startServer({ sftpd: { host_keys: [] } });
  try {
    const keys = h.server.hostKeys();
    assert.deepEqual(keys.map((k) => path.basename(k.path)), ['id_rsa', 'id_ecdsa', 'id_ed25519']);
    for (const k of keys) {
      assert.equal((await stat(k.path)).mode & 0o777, 0o600, k.path);
      const pub = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${k.path}.pub`]);
      assert.equal(pub.stdout.split(' ')[1], k.fingerprint);
    }
    assert.match(keys[0]!.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
    const bits = await run('ssh-keygen', ['-l', '-f', `${keys[0]!.path}.pub`]);
    assert.match(bits.stdout, /^4096 /);
    // A client that only accepts RSA host keys gets an rsa-sha2 signature, and ssh-rsa alone fails.
    const base = [...sshOptions(h.port, {}), '-o', 'PreferredAuthentications=none', '-p', String(h.port), 'nobody@127.0.0.1'];
    const rsa = await run('ssh', ['-v', '-o', 'HostKeyAlgorithms=rsa-sha2-512', ...base]);
    assert.match(rsa.stderr, /host key algorithm: rsa-sha2-512/);
    const sha1 = await run('ssh', ['-v', '-o', 'HostKeyAlgorithms=ssh-rsa', ...base]);
    assert.match(sha1.stderr, /no matching host key type found/);
    // A second server on the same config dir reuses the keys.
    const again = new SftpServer(h.ctx);
    await again.start({ ephemeral: true });
    assert.deepEqual(again.hostKeys(), keys);
    await again.stop(0);
    assert.equal(await readFile(keys[2]!.path, 'utf8'), await readFile(keys[2]!.path, 'utf8'));
  } finally {
    await h.close();
  }
});
