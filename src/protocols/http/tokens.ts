/**
 * HS256 API tokens (INVENTORY §8.2): claims username, permissions, sub (account signature), jti,
 * nbf = now - 30 s, exp = now + 15 min, aud API/APIUser. The key is 32 random bytes per server
 * instance, so tokens die on restart. Logout puts a token on a revocation list until it expires.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { authFailed } from '../../util/errors.js';
import type { TokenAudience, TokenClaims } from './types.js';

export const TOKEN_LIFETIME_S = 15 * 60;

export interface IssuedToken {
  access_token: string;
  expires_at: string;
}

export class TokenManager {
  private readonly key: Uint8Array;
  /** Revoked token -> its expiry (unix s). */
  private readonly revoked = new Map<string, number>();

  /** `now` is the clock of issue and verification (tests pass a fake one). */
  constructor(key: Uint8Array = randomBytes(32), readonly now: () => number = Date.now) {
    this.key = key;
  }

  /** Issues a token for an account; `signature` binds it to the account's credentials. */
  async issue(aud: TokenAudience, username: string, permissions: string[], signature: string): Promise<IssuedToken> {
    const nowS = Math.floor(this.now() / 1000);
    const exp = nowS + TOKEN_LIFETIME_S;
    const token = await new SignJWT({ username, permissions })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(signature)
      .setJti(randomUUID())
      .setIssuedAt(nowS)
      .setNotBefore(nowS - 30)
      .setExpirationTime(exp)
      .setAudience(aud)
      .sign(this.key);
    return { access_token: token, expires_at: new Date(exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }

  /** Verifies signature, time claims, audience and revocation; throws AuthFailed. */
  async verify(token: string, aud: TokenAudience): Promise<TokenClaims> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'], audience: aud, currentDate: new Date(this.now()),
      }));
    } catch (err) {
      throw authFailed('invalid token', err);
    }
    if (this.revoked.has(token)) throw authFailed('the token has been revoked');
    const { username, permissions, sub, jti, exp } = payload;
    if (typeof username !== 'string' || !Array.isArray(permissions) || typeof sub !== 'string' || typeof exp !== 'number') {
      throw authFailed('invalid token claims');
    }
    return { username, permissions: permissions.map(String), sub, jti: String(jti ?? ''), exp, aud, token };
  }

  /** Revokes a token until its expiry; expired entries are pruned here (no timers to leak). */
  revoke(claims: TokenClaims): void {
    const nowS = Math.floor(this.now() / 1000);
    for (const [t, exp] of this.revoked) if (exp < nowS) this.revoked.delete(t);
    this.revoked.set(claims.token, claims.exp);
  }

  get revokedCount(): number {
    return this.revoked.size;
  }
}

/** Base64 SHA-256 of the parts: the account signature put in `sub`. */
export function accountSignature(...parts: string[]): string {
  return createHash('sha256').update(parts.join('')).digest('base64');
}
