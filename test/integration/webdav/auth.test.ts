/**
 * WebDAV authentication: failed logins reach the defender (a banned host gets 403, even with the
 * right password), requests without credentials are not scored, the users cache skips the login
 * pipeline for a repeat of the same credentials and drops the entry when the user changes, and
 * CORS preflights get their headers before authentication.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noopMetrics, type Metrics } from '../../../src/core/types.js';
import { needsBinaries } from '../../helpers/require.js';
import { curl, startDav } from './harness.js';

test('failed logins feed the defender; a banned host is refused even with good credentials', needsBinaries('curl'), async () => {
  const h = await startDav({
    config: { common: { defender: { enabled: true, threshold: 3, score_valid: 1, score_invalid: 2, score_limit_exceeded: 2, ban_time: 10, observation_time: 10 } } },
  });
  try {
    for (let i = 0; i < 3; i++) assert.equal((await curl([h.url])).status, 401, 'no credentials');
    assert.equal(h.ctx.core.defender.score('127.0.0.1'), 0, 'a request without credentials is not a failed login');
    assert.equal((await curl(['-u', 'alice:wrong', h.url])).status, 401);
    assert.equal(h.ctx.core.defender.score('127.0.0.1'), 1);
    assert.equal((await curl(['-u', 'nobody:wrong', h.url])).status, 401);
    assert.ok(h.ctx.core.defender.isBanned('127.0.0.1'));
    assert.equal((await curl(['-u', 'alice:secret', '-X', 'PROPFIND', '-H', 'Depth: 0', h.url])).status, 403);
  } finally {
    await h.close();
  }
});

test('behind a trusted proxy the forwarded client IP is the one scored', needsBinaries('curl'), async () => {
  const h = await startDav({
    binding: { port: 1, address: '127.0.0.1', proxy_allowed: ['127.0.0.0/8'] },
    config: { common: { defender: { enabled: true, threshold: 5, score_limit_exceeded: 3 } } },
  });
  try {
    assert.equal((await curl(['-u', 'alice:wrong', '-H', 'X-Forwarded-For: 10.9.8.7, 127.0.0.1', h.url])).status, 401);
    assert.equal(h.ctx.core.defender.score('10.9.8.7'), 1);
    assert.equal(h.ctx.core.defender.score('127.0.0.1'), 0);
  } finally {
    await h.close();
  }
  const untrusted = await startDav({ config: { common: { defender: { enabled: true, threshold: 5, score_limit_exceeded: 3 } } } });
  try {
    assert.equal((await curl(['-u', 'alice:wrong', '-H', 'X-Real-IP: 10.9.8.7', untrusted.url])).status, 401);
    assert.equal(untrusted.ctx.core.defender.score('10.9.8.7'), 0, 'headers from an untrusted peer are ignored');
    assert.equal(untrusted.ctx.core.defender.score('127.0.0.1'), 1);
  } finally {
    await untrusted.close();
  }
});

test('the users cache: one login for repeated requests, dropped when the user changes', needsBinaries('curl'), async () => {
  let attempts = 0;
  const metrics: Metrics = { ...noopMetrics, loginAttempt: () => { attempts++; } };
  const h = await startDav({ metrics, config: { webdavd: { cache: { users: { expiration_time: 0, max_size: 10 } } } } });
  try {
    const propfind = (pw: string) => curl(['-u', `alice:${pw}`, '-X', 'PROPFIND', '-H', 'Depth: 0', h.url]);
    for (let i = 0; i < 3; i++) assert.equal((await propfind('secret')).status, 207);
    assert.equal(attempts, 1, 'later requests come from the cache');
    assert.equal((await propfind('wrong')).status, 401);
    assert.equal(attempts, 2, 'another password is a real login attempt');
    const user = await h.ctx.data.getUser('alice');
    await h.ctx.data.updateUser({ ...user, password: 'changed' });
    assert.equal((await propfind('secret')).status, 401, 'the old password no longer works');
    assert.equal((await propfind('changed')).status, 207);
    await h.ctx.data.updateUser({ ...(await h.ctx.data.getUser('alice')), filters: { denied_protocols: ['DAV'] } });
    assert.equal((await propfind('changed')).status, 401, 'a protocol denial applies at once');
  } finally {
    await h.close();
  }
});

test('CORS: preflight answered before authentication; actual requests carry the allow headers', needsBinaries('curl'), async () => {
  const h = await startDav({
    config: {
      webdavd: {
        cors: {
          enabled: true, allowed_origins: ['https://ok.example'], allowed_methods: ['GET', 'PUT', 'PROPFIND'],
          allowed_headers: ['Authorization', 'Depth'], exposed_headers: ['ETag'], allow_credentials: true, max_age: 600,
        },
      },
    },
  });
  try {
    const pre = await curl(['-X', 'OPTIONS', '-H', 'Origin: https://ok.example', '-H', 'Access-Control-Request-Method: PROPFIND',
      '-H', 'Access-Control-Request-Headers: authorization, depth', h.url]);
    assert.equal(pre.status, 200);
    assert.equal(pre.headers['access-control-allow-origin'], 'https://ok.example');
    assert.equal(pre.headers['access-control-allow-methods'], 'PROPFIND');
    assert.equal(pre.headers['access-control-allow-headers'], 'authorization, depth');
    assert.equal(pre.headers['access-control-allow-credentials'], 'true');
    assert.equal(pre.headers['access-control-max-age'], '600');
    const bad = await curl(['-X', 'OPTIONS', '-H', 'Origin: https://evil.example', '-H', 'Access-Control-Request-Method: PUT', h.url]);
    assert.equal(bad.headers['access-control-allow-origin'], undefined);
    const get = await curl(['-u', 'alice:secret', '-H', 'Origin: https://ok.example', '-X', 'PROPFIND', '-H', 'Depth: 0', h.url]);
    assert.equal(get.status, 207);
    assert.equal(get.headers['access-control-expose-headers'], 'ETag');
  } finally {
    await h.close();
  }
});
