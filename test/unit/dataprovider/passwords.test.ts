/**
 * Password hashes made by independent tools (htpasswd, openssl passwd, Debian's python3 with its
 * bcrypt, crypt and hashlib modules, the argon2 CLI) verify with the right password and fail with
 * a wrong one; new hashes we make verify with python's bcrypt. INVENTORY §8.1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  defaultHashingOptions, hashPassword, isAdminHashedPassword, isHashedPassword, verifyPassword,
} from '../../../src/dataprovider/passwords.js';
import { needs, needsBinaries } from '../../helpers/require.js';

const run = promisify(execFile);
/** Debian's interpreter: it has the crypt module (gone in 3.13) and python3-bcrypt. */
const PY = '/usr/bin/python3';
const PASSWORD = 'pä ss:w$rd';
const WRONG = 'pä ss:w$rD';

async function py(script: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(PY, ['-W', 'ignore', '-c', script, ...args]);
  return stdout.trim();
}

async function checkBoth(hash: string, prefix: string): Promise<void> {
  assert.ok(hash.startsWith(prefix), `${hash} starts with ${prefix}`);
  assert.equal(isHashedPassword(hash), true, `${prefix} is recognised as a hash`);
  assert.equal(await verifyPassword(PASSWORD, hash), true, `${prefix} verifies`);
  assert.equal(await verifyPassword(WRONG, hash), false, `${prefix} rejects a wrong password`);
  assert.equal(await verifyPassword('', hash), false, `${prefix} rejects an empty password`);
}

test('bcrypt $2y$ from htpasswd', needsBinaries('htpasswd'), async () => {
  const { stdout } = await run('htpasswd', ['-nbB', '-C', '4', 'u', PASSWORD]);
  await checkBoth(stdout.trim().slice('u:'.length), '$2y$');
});

test('bcrypt $2a$ and $2b$ from python3-bcrypt', needs(existsSync(PY), `missing ${PY}`), async () => {
  const script = 'import bcrypt,sys; print(bcrypt.hashpw(sys.argv[1].encode(), bcrypt.gensalt(4, prefix=sys.argv[2].encode())).decode())';
  await checkBoth(await py(script, PASSWORD, '2a'), '$2a$');
  await checkBoth(await py(script, PASSWORD, '2b'), '$2b$');
});

test('bcrypt: the OpenBSD/openwall vector and a tampered hash', async () => {
  assert.equal(await verifyPassword('U*U', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW'), true);
  assert.equal(await verifyPassword('U*U', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeX'), false);
});

test('md5crypt $1$ and apr1 from openssl passwd and htpasswd', needsBinaries('openssl', 'htpasswd'), async () => {
  await checkBoth((await run('openssl', ['passwd', '-1', PASSWORD])).stdout.trim(), '$1$');
  await checkBoth((await run('openssl', ['passwd', '-apr1', PASSWORD])).stdout.trim(), '$apr1$');
  await checkBoth((await run('htpasswd', ['-nbm', 'u', PASSWORD])).stdout.trim().slice(2), '$apr1$');
});

test('sha512crypt $6$ from openssl passwd -6 and python crypt (default and explicit rounds)', needsBinaries('openssl'), async () => {
  await checkBoth((await run('openssl', ['passwd', '-6', PASSWORD])).stdout.trim(), '$6$');
  if (!existsSync(PY)) return;
  await checkBoth(await py('import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_SHA512)))', PASSWORD), '$6$');
  await checkBoth(await py('import crypt,sys; print(crypt.crypt(sys.argv[1], "$6$rounds=7000$abcdefgh$"))', PASSWORD), '$6$rounds=7000$');
});

test('pbkdf2 sha1/sha256/sha512 and b64salt-sha256 in SFTPGo format from python hashlib', needs(existsSync(PY), `missing ${PY}`), async () => {
  const script = `import hashlib,base64,sys
pw, digest, b64salt = sys.argv[1].encode(), sys.argv[2], sys.argv[3] == '1'
raw = b'\\x00\\x01salt\\xff' if b64salt else b'E86a9YMX3zC7'
key = base64.b64encode(hashlib.pbkdf2_hmac(digest, pw, raw, 1500)).decode()
salt = base64.b64encode(raw).decode() if b64salt else raw.decode()
algo = 'pbkdf2-b64salt-sha256' if b64salt else 'pbkdf2-' + digest
print('$%s$1500$%s$%s' % (algo, salt, key))`;
  for (const digest of ['sha1', 'sha256', 'sha512']) await checkBoth(await py(script, PASSWORD, digest, '0'), `$pbkdf2-${digest}$1500$`);
  await checkBoth(await py(script, PASSWORD, 'sha256', '1'), '$pbkdf2-b64salt-sha256$1500$');
});

test('pbkdf2: the SFTPGo documentation example', async () => {
  const hash = '$pbkdf2-sha256$150000$E86a9YMX3zC7$R5J62hsSq+pYw00hLLPKBbcGXmq7fj5+/M0IFoYtZbo=';
  assert.equal(await verifyPassword('password', hash), true);
  assert.equal(await verifyPassword('Password', hash), false);
});

test('argon2id from the argon2 CLI', needsBinaries('argon2'), async () => {
  const child = execFile('argon2', ['saltsalt12345678', '-id', '-t', '2', '-m', '12', '-p', '1', '-e']);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stdin!.end(PASSWORD);
  await new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve(code) : reject(new Error(`argon2 exited ${code}`)))));
  await checkBoth(out.trim(), '$argon2id$v=19$m=4096,t=2,p=1$');
});

test('new hashes: bcrypt cost 10 by default (checked by python bcrypt), argon2id when configured', async () => {
  const b = await hashPassword(PASSWORD);
  // SFTPGo's Go bcrypt writes $2a$: new hashes carry the same prefix.
  assert.match(b, /^\$2a\$10\$[./A-Za-z0-9]{53}$/);
  await checkBoth(b, '$2a$');
  if (existsSync(PY)) {
    assert.equal(await py('import bcrypt,sys; print(bcrypt.checkpw(sys.argv[1].encode(), sys.argv[2].encode()))', PASSWORD, b), 'True');
  }
  const a = await hashPassword(PASSWORD, { ...defaultHashingOptions, algo: 'argon2id', argon2_options: { memory: 1024, iterations: 1, parallelism: 2 } });
  assert.match(a, /^\$argon2id\$v=19\$m=1024,t=1,p=2\$/);
  await checkBoth(a, '$argon2id$');
});

test('new bcrypt hashes keep the $2a$ prefix at a configured cost and verify with python bcrypt', async () => {
  const h = await hashPassword(PASSWORD, { ...defaultHashingOptions, bcrypt_options: { cost: 4 } });
  assert.match(h, /^\$2a\$04\$/);
  await checkBoth(h, '$2a$04$');
  if (existsSync(PY)) {
    assert.equal(await py('import bcrypt,sys; print(bcrypt.checkpw(sys.argv[1].encode(), sys.argv[2].encode()))', PASSWORD, h), 'True');
    assert.equal(await py('import bcrypt,sys; print(bcrypt.checkpw(sys.argv[1].encode(), sys.argv[2].encode()))', WRONG, h), 'False');
  }
});

test('unknown or malformed hashes never verify; admins keep only bcrypt and argon2id as is', async () => {
  for (const h of ['', 'plain', '$5$abc$def', '$pbkdf2-md5$1$s$aGk=', '$pbkdf2-sha256$x$s$aGk=', '$pbkdf2-sha256$10$s$', '$argon2id$bad', '$6$short']) {
    assert.equal(await verifyPassword('plain', h), false, h);
  }
  assert.equal(isAdminHashedPassword('$2a$10$x'), true);
  assert.equal(isAdminHashedPassword('$argon2id$v=19$x'), true);
  assert.equal(isAdminHashedPassword('$6$abc$def'), false);
  assert.equal(isHashedPassword('secret'), false);
});
