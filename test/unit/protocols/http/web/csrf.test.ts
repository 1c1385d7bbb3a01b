/**
 * CSRF tokens: accepted when issued by this server to the same client address within 15
 * minutes; refused (PermissionDenied, a 403 page) when missing, forged, expired, issued by
 * another server or to another address.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { CsrfTokens } from '../../../../../src/protocols/http/web/csrf.js';
import { ErrorKind } from '../../../../../src/util/errors.js';

const denied = (re: RegExp) => (err: unknown) => (err as { kind?: string }).kind === ErrorKind.PermissionDenied && re.test((err as Error).message);

test('a token verifies for the address it was issued to, not for another one', async () => {
  const csrf = new CsrfTokens();
  const t = await csrf.issue('127.0.0.1');
  await csrf.verify(t, '127.0.0.1');
  await assert.rejects(csrf.verify(t, '10.0.0.1'), denied(/another client address/));
});

test('missing, garbage, foreign-key and wrong-audience tokens are refused', async () => {
  const key = new Uint8Array(32).fill(7);
  const csrf = new CsrfTokens(key);
  await assert.rejects(csrf.verify(undefined, '::1'), denied(/missing/));
  await assert.rejects(csrf.verify('not-a-token', '::1'), denied(/expired or not issued/));
  await assert.rejects(csrf.verify(await new CsrfTokens().issue('::1'), '::1'), denied(/not issued by this server/));
  const wrongAud = await new SignJWT({ ip: '::1' }).setProtectedHeader({ alg: 'HS256' }).setAudience('WebAdmin').setExpirationTime('10m').sign(key);
  await assert.rejects(csrf.verify(wrongAud, '::1'), denied(/expired or not issued/));
});

test('a token expires after 15 minutes', async () => {
  let now = Date.UTC(2026, 0, 1);
  const csrf = new CsrfTokens(undefined, () => now);
  const t = await csrf.issue('1.2.3.4');
  now += 14 * 60 * 1000;
  await csrf.verify(t, '1.2.3.4');
  now += 2 * 60 * 1000;
  await assert.rejects(csrf.verify(t, '1.2.3.4'), denied(/expired/));
});
