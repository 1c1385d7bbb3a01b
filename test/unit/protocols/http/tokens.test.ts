import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { TokenManager, TOKEN_LIFETIME_S } from '../../../../src/protocols/http/tokens.js';

test('claims: username, permissions, sub, jti, nbf 30 s back, exp 15 min, audience', async () => {
  let now = Date.UTC(2026, 0, 1);
  const tm = new TokenManager(undefined, () => now);
  const t = await tm.issue('API', 'admin', ['*'], 'signature');
  const c = decodeJwt(t.access_token);
  assert.equal(c.username, 'admin');
  assert.deepEqual(c.permissions, ['*']);
  assert.equal(c.sub, 'signature');
  assert.equal(c.aud, 'API');
  assert.equal(c.exp! - c.nbf!, TOKEN_LIFETIME_S + 30);
  assert.ok(typeof c.jti === 'string' && c.jti.length > 10);
  assert.equal(t.expires_at, '2026-01-01T00:15:00Z');
  assert.equal((await tm.verify(t.access_token, 'API')).username, 'admin');
  await assert.rejects(tm.verify(t.access_token, 'APIUser'));
  now += TOKEN_LIFETIME_S * 1000 + 1000;
  await assert.rejects(tm.verify(t.access_token, 'API'), /invalid token/);
});

test('revocation list: revoked tokens fail, expired revocations are pruned', async () => {
  let now = Date.now();
  const tm = new TokenManager(undefined, () => now);
  const a = await tm.issue('APIUser', 'u', [], 's');
  const claims = await tm.verify(a.access_token, 'APIUser');
  tm.revoke(claims);
  await assert.rejects(tm.verify(a.access_token, 'APIUser'), /revoked/);
  now += 16 * 60_000;
  const b = await tm.issue('APIUser', 'u', [], 's');
  tm.revoke(await tm.verify(b.access_token, 'APIUser'));
  assert.equal(tm.revokedCount, 1);
});

test('keys differ per instance', async () => {
  const t = await new TokenManager().issue('API', 'a', [], 's');
  await assert.rejects(new TokenManager().verify(t.access_token, 'API'));
});
