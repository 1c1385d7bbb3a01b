/**
 * delayed_quota_update (INVENTORY §4.6): changes are buffered and written every N seconds and at
 * shutdown; limits keep holding meanwhile because reads add what is pending; a reset drops it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kindOf, makeEnv, upload } from '../../integration/core/fixture.js';

test('delayed quota: buffered until flushed, limits hold meanwhile, shutdown writes the rest', async () => {
  const env = await makeEnv({ delayedQuota: 3600, user: { quota_size: 10 } });
  try {
    assert.equal(env.registry.quota.delayed, true);
    const c = await env.connect();
    await upload(c, '/a', '123456');
    assert.equal(env.provider.quota.get('u:alice'), undefined, 'nothing written yet');
    assert.equal(await kindOf(upload(c, '/b', '123456', 2)), 'QuotaExceeded', 'the pending 6 bytes count');
    await env.registry.quota.flush();
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 6, usedFiles: 1 });
    await upload(c, '/c', '12');
    await c.remove('/a');
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 6, usedFiles: 1 });
    await env.registry.shutdown(0);
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 2, usedFiles: 1 }, 'flushed at shutdown');
  } finally {
    await env.cleanup();
  }
});

test('delayed quota: a reset (scan) drops what is pending; failed writes are retried', async () => {
  const env = await makeEnv({ delayedQuota: 3600 });
  try {
    const c = await env.connect();
    await upload(c, '/a', '1234');
    env.registry.quota.resetPending('user', 'alice');
    await env.provider.users.updateQuota('alice', 100, 7, true);
    await env.registry.quota.flush();
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 100, usedFiles: 7 }, 'the reset wins');
    await upload(c, '/b', '12');
    const real = env.provider.users.updateQuota;
    env.provider.users.updateQuota = async () => { throw new Error('database down'); };
    await env.registry.quota.flush();
    env.provider.users.updateQuota = real;
    await env.registry.quota.flush();
    assert.deepEqual(env.provider.quota.get('u:alice'), { usedSize: 102, usedFiles: 8 }, 'written once the provider is back');
  } finally {
    await env.cleanup();
  }
});
