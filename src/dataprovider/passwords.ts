/**
 * Password hashes: new ones with bcrypt (default, cost 10) or argon2id; verification of every format
 * SFTPGo v2.1.2 accepts (INVENTORY §8.1) so stored hashes from an SFTPGo database keep working.
 * Pure JS / wasm only: the single executable cannot carry a native addon.
 */
import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';
import { argon2id, argon2Verify } from 'hash-wasm';
import { verify as sha512CryptVerify } from 'unixcrypt';
import { md5Crypt } from './md5crypt.js';

const pbkdf2Async = promisify(pbkdf2);

export interface HashingOptions {
  algo: string;
  bcrypt_options: { cost: number };
  argon2_options: { memory: number; iterations: number; parallelism: number };
}

export const defaultHashingOptions: HashingOptions = {
  algo: 'bcrypt',
  bcrypt_options: { cost: 10 },
  argon2_options: { memory: 65536, iterations: 1, parallelism: 2 },
};

const BCRYPT_PREFIXES = ['$2a$', '$2b$', '$2y$'];
const ARGON2ID_PREFIX = '$argon2id$';
const PBKDF2_PREFIXES = ['$pbkdf2-sha1$', '$pbkdf2-sha256$', '$pbkdf2-sha512$', '$pbkdf2-b64salt-sha256$'];
const UNIX_CRYPT_PREFIXES = ['$1$', '$apr1$', '$6$'];

/** True when `value` already carries a hash prefix we can verify (user passwords are then stored as-is). */
export function isHashedPassword(value: string): boolean {
  return [...BCRYPT_PREFIXES, ARGON2ID_PREFIX, ...PBKDF2_PREFIXES, ...UNIX_CRYPT_PREFIXES].some((p) => value.startsWith(p));
}

/** Admins keep only bcrypt/argon2id values as-is (SFTPGo's rule); anything else is hashed. */
export function isAdminHashedPassword(value: string): boolean {
  return [...BCRYPT_PREFIXES, ARGON2ID_PREFIX].some((p) => value.startsWith(p));
}

/** Hashes a plaintext password with the configured algorithm. */
export async function hashPassword(plain: string, opts: HashingOptions = defaultHashingOptions): Promise<string> {
  if (opts.algo === 'argon2id') {
    const a = opts.argon2_options;
    return argon2id({
      password: plain,
      salt: randomBytes(16),
      parallelism: a.parallelism,
      iterations: a.iterations,
      memorySize: a.memory,
      hashLength: 32,
      outputType: 'encoded',
    });
  }
  return bcrypt.hash(plain, await bcryptSalt(opts.bcrypt_options.cost));
}

/**
 * A bcrypt salt with the `$2a$` prefix: SFTPGo (Go's x/crypto/bcrypt) writes `$2a$`, so a dump
 * loaded back into SFTPGo, or any tool that expects its hashes, sees the same format. bcryptjs
 * salts with `$2b$`; for passwords under 255 bytes both minors compute the same digest, and
 * bcryptjs keeps the minor of the salt it is given.
 */
async function bcryptSalt(cost: number): Promise<string> {
  const salt = await bcrypt.genSalt(cost);
  return `$2a$${salt.slice('$2b$'.length)}`;
}

/** Verifies `plain` against a stored hash of any supported format; false for unknown formats. */
export async function verifyPassword(plain: string, hash: string): Promise<boolean> {
  if (!hash) return false;
  if (BCRYPT_PREFIXES.some((p) => hash.startsWith(p))) return bcrypt.compare(plain, hash);
  if (hash.startsWith(ARGON2ID_PREFIX)) return argon2Verify({ password: plain, hash }).catch(() => false);
  if (hash.startsWith('$pbkdf2-')) return verifyPbkdf2(plain, hash);
  if (hash.startsWith('$1$') || hash.startsWith('$apr1$')) return safeEqual(md5Crypt(plain, hash) ?? '', hash);
  if (hash.startsWith('$6$')) return safeCall(() => sha512CryptVerify(plain, hash));
  return false;
}

/** `$pbkdf2-<digest>$<iterations>$<salt>$<base64 key>`; the b64salt variant carries a base64 salt. */
async function verifyPbkdf2(plain: string, hash: string): Promise<boolean> {
  const parts = hash.split('$');
  if (parts.length !== 5) return false;
  const [, algo, iterText, saltText, keyText] = parts;
  const digest = { 'pbkdf2-sha1': 'sha1', 'pbkdf2-sha256': 'sha256', 'pbkdf2-sha512': 'sha512', 'pbkdf2-b64salt-sha256': 'sha256' }[algo!];
  const iterations = Number(iterText);
  if (!digest || !Number.isInteger(iterations) || iterations <= 0) return false;
  const salt = algo === 'pbkdf2-b64salt-sha256' ? Buffer.from(saltText!, 'base64') : Buffer.from(saltText!, 'utf8');
  const expected = Buffer.from(keyText!, 'base64');
  if (expected.length === 0) return false;
  const derived = await pbkdf2Async(plain, salt, iterations, expected.length, digest);
  return timingSafeEqual(derived, expected);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function safeCall(fn: () => boolean): boolean {
  try {
    return fn();
  } catch {
    return false;
  }
}
