/**
 * The `jwt` login cookie of the web UIs (INVENTORY §8.2): HttpOnly, SameSite=Strict, Path limited
 * to the UI (`/web/admin` or `/web/client`, under web_root), Max-Age 15 minutes, and Secure when
 * the request came over TLS or through a trusted proxy that says `X-Forwarded-Proto: https`.
 * Written by hand: Koa's cookie helper refuses Secure cookies behind a TLS-terminating proxy
 * unless the whole app trusts proxy headers, which we only do per binding allow list.
 */
import type { Context } from 'koa';
import { ipInList, normalizeIp } from '../ip.js';

export const JWT_COOKIE = 'jwt';

/** Value of one cookie of the request (first occurrence), undefined when absent. */
export function readCookie(ctx: Pick<Context, 'get'>, name: string): string | undefined {
  for (const part of ctx.get('cookie').split(';')) {
    const idx = part.indexOf('=');
    if (idx < 0 || part.slice(0, idx).trim() !== name) continue;
    const value = part.slice(idx + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

/** True when the client reached us over HTTPS, directly or through a trusted proxy. */
export function isSecureRequest(ctx: Context, proxyAllowed: readonly string[]): boolean {
  if ((ctx.req.socket as { encrypted?: boolean }).encrypted) return true;
  const peer = normalizeIp(ctx.req.socket.remoteAddress ?? '');
  if (proxyAllowed.length === 0 || !ipInList(peer, proxyAllowed)) return false;
  return ctx.get('x-forwarded-proto').toLowerCase() === 'https';
}

/** Serialized Set-Cookie value for the login cookie (maxAgeS 0 deletes it). */
export function jwtCookie(token: string, path: string, maxAgeS: number, secure: boolean): string {
  const parts = [`${JWT_COOKIE}=${token}`, `Path=${path}`, `Max-Age=${maxAgeS}`, 'HttpOnly', 'SameSite=Strict'];
  if (maxAgeS === 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/** Adds a Set-Cookie header without dropping others already set. */
export function appendSetCookie(ctx: Context, cookie: string): void {
  const prev = ctx.response.get('set-cookie') as unknown;
  const list = Array.isArray(prev) ? prev.map(String) : prev ? [String(prev)] : [];
  ctx.set('Set-Cookie', [...list, cookie]);
}
