/**
 * CSRF tokens of the web UIs (INVENTORY §8.2): HS256 JWTs with audience `CSRF`, valid 15 minutes,
 * signed with their own random key (not the login token key). Forms carry one in the hidden field
 * `_form_token`; AJAX deletes and scans send it as `X-CSRF-TOKEN`. Each token is also bound to the
 * client IP it was issued to (as later SFTPGo versions do), so a token lifted elsewhere is useless.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { permissionDenied } from '../../../util/errors.js';

export const CSRF_FORM_FIELD = '_form_token';
export const CSRF_HEADER = 'x-csrf-token';
const CSRF_LIFETIME_S = 15 * 60;

export class CsrfTokens {
  constructor(private readonly key: Uint8Array = randomBytes(32), private readonly now: () => number = Date.now) {}

  /** A fresh token for the client at `ip`. */
  async issue(ip: string): Promise<string> {
    const nowS = Math.floor(this.now() / 1000);
    return new SignJWT({ ip })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setJti(randomUUID())
      .setNotBefore(nowS - 30)
      .setExpirationTime(nowS + CSRF_LIFETIME_S)
      .setAudience('CSRF')
      .sign(this.key);
  }

  /** Throws PermissionDenied (a 403 page) unless the token is valid and was issued to `ip`. */
  async verify(token: string | undefined, ip: string): Promise<void> {
    if (!token) throw permissionDenied('invalid CSRF token: the form token is missing');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], audience: 'CSRF', currentDate: new Date(this.now()) }));
    } catch (err) {
      throw permissionDenied('invalid CSRF token: expired or not issued by this server', err);
    }
    if (payload.ip !== ip) throw permissionDenied('invalid CSRF token: issued to another client address');
  }
}
