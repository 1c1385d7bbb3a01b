/**
 * PKCS#8 PEM private keys (`-----BEGIN PRIVATE KEY-----`, what `openssl genpkey` writes): as host
 * keys, OpenSSH's sftp connects and sees the fingerprint `ssh-keygen -lf` gives for the public key;
 * as the private key of the remote-SFTP backend, the backend logs in to our own server with it.
 * An encrypted PKCS#8 key stops start-up with an error naming the file.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPublicKey } from 'node:crypto';
import { needsBinaries } from '../../helpers/require.js';
import { SftpServer } from '../../../src/protocols/sftp/server.js';
import { createTestContext } from '../../helpers/context.js';
import { downloadAll, makeBackendEnv, uploadAll } from '../core/backend-env.js';
import { homeOf, run, sftpBatch, startServer, type Harness } from './harness.js';

const clients = needsBinaries('sftp', 'ssh-keygen', 'openssl');
let dir: string;

/** openssl genpkey arguments per key, with the ssh host key algorithm to ask for. */
const KEYS: Record<string, { gen: string[]; alg: string }> = {
  rsa: { gen: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], alg: 'rsa-sha2-256' },
  p256: { gen: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], alg: 'ecdsa-sha2-nistp256' },
  p384: { gen: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'], alg: 'ecdsa-sha2-nistp384' },
  p521: { gen: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'], alg: 'ecdsa-sha2-nistp521' },
  ed25519: { gen: ['-algorithm', 'ED25519'], alg: 'ssh-ed25519' },
};

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-pkcs8-'));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Writes a PKCS#8 key with openssl and its OpenSSH public line (`<file>.pub`); returns the key path. */
async function genKey(name: string, file = path.join(dir, `${name}.pem`)): Promise<string> {
  const r = await run('openssl', ['genpkey', ...KEYS[name]!.gen, '-out', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(await readFile(file, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
  await writeFile(`${file}.pub`, `${await publicLine(file)}\n`);
  return file;
}

/**
 * The OpenSSH public line, from openssl/ssh-keygen rather than from our converter: ssh-keygen -y
 * reads PKCS#8 RSA/EC; for Ed25519 (which this ssh-keygen cannot read in PKCS#8) the wire blob is
 * built from openssl's raw public key.
 */
async function publicLine(file: string): Promise<string> {
  const y = await run('ssh-keygen', ['-y', '-f', file]);
  if (y.code === 0) return y.stdout.trim();
  const der = createPublicKey(await readFile(file)).export({ type: 'spki', format: 'der' });
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(der.subarray(der.length - 32))]).toString('base64')}`;
}

test('PKCS#8 host keys: OpenSSH sftp sees the fingerprint ssh-keygen -lf gives', clients, async () => {
  const files = await Promise.all(Object.keys(KEYS).map((n) => genKey(n)));
  const h = await startServer({ sftpd: { host_keys: files } });
  try {
    const user = await h.userKey('pk8');
    await h.addUser({ username: 'pk8', public_keys: [user.pub] });
    for (const [i, name] of Object.keys(KEYS).entries()) {
      const expected = (await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${files[i]}.pub`])).stdout.split(' ')[1]!;
      assert.equal(h.server.hostKeys()[i]!.fingerprint, expected, name);
      const r = await sftpBatch(h, 'pk8', 'pwd\n', { key: user.key, extra: ['-v', '-o', `HostKeyAlgorithms=${KEYS[name]!.alg}`] });
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      const seen = /Server host key: (\S+) (SHA256:\S+)/.exec(r.stderr);
      assert.ok(seen, r.stderr);
      assert.equal(seen[2], expected, name);
    }
  } finally {
    await h.close();
  }
});

test('PKCS#8 host key encrypted: start-up fails naming the file', clients, async () => {
  const file = path.join(dir, 'enc.pem');
  const r = await run('openssl', ['genpkey', '-algorithm', 'ED25519', '-aes-128-cbc', '-pass', 'pass:secret', '-out', file]);
  assert.equal(r.code, 0, r.stderr);
  const ctx = await createTestContext({ config: { sftpd: { bindings: [{ port: 0, address: '127.0.0.1' }], host_keys: [file] } } });
  try {
    const server = new SftpServer(ctx);
    await assert.rejects(server.start({ ephemeral: true }), (err: Error) => {
      assert.match(err.message, new RegExp(`host key ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: encrypted PKCS#8`));
      return true;
    });
  } finally {
    await ctx.close();
  }
});

for (const name of ['ed25519', 'rsa', 'p384']) {
  test(`SFTP backend with a PKCS#8 ${name} private key logs in to our own server`, clients, async () => {
    const file = await genKey(name, path.join(dir, `backend-${name}.pem`));
    const h: Harness = await startServer();
    let env: Awaited<ReturnType<typeof makeBackendEnv>> | undefined;
    try {
      await h.addUser({ username: 'remote', public_keys: [await readFile(`${file}.pub`, 'utf8')] });
      const pem = await readFile(file, 'utf8');
      env = await makeBackendEnv({
        filesystem: (_base, seal) => ({
          provider: 5,
          sftpconfig: { endpoint: `127.0.0.1:${h.port}`, username: 'remote', private_key: seal(pem), fingerprints: h.server.hostKeys().map((k) => k.fingerprint) },
        }),
      });
      await uploadAll(env.conn, '/via-backend.txt', Buffer.from(`hello ${name}`));
      assert.equal(await readFile(path.join(homeOf(h, 'remote'), 'via-backend.txt'), 'utf8'), `hello ${name}`);
      assert.equal((await downloadAll(env.conn, '/via-backend.txt')).toString(), `hello ${name}`);
    } finally {
      await env?.cleanup();
      await h.close();
    }
  });
}
