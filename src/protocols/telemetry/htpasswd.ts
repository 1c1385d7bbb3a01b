/**
 * htpasswd users for the telemetry /metrics endpoint (bcrypt, md5crypt `$1$`, apr1): parsed once
 * per load; verification goes through the data service's password verifier.
 */
import { readFile } from 'node:fs/promises';

export interface Htpasswd {
  verify(username: string, password: string): Promise<boolean>;
}

/** Parses `user:hash` lines; blank lines and `#` comments are skipped. */
export function parseHtpasswd(text: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const idx = t.indexOf(':');
    if (idx > 0) users.set(t.slice(0, idx), t.slice(idx + 1));
  }
  return users;
}

export async function loadHtpasswd(file: string, verifyHash: (plain: string, hash: string) => Promise<boolean>): Promise<Htpasswd> {
  const users = parseHtpasswd(await readFile(file, 'utf8'));
  return {
    async verify(username, password) {
      const hash = users.get(username);
      if (!hash) return false;
      return verifyHash(password, hash).catch(() => false);
    },
  };
}
