import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kindOf, makeEnv } from '../../integration/core/fixture.js';

test('connections: max_sessions per user at open', async () => {
  const env = await makeEnv({ user: { max_sessions: 2 } });
  try {
    const a = await env.connect();
    await env.connect();
    assert.equal(await kindOf(env.connect()), 'PermissionDenied');
    assert.equal(env.registry.countUser('alice'), 2);
    await a.close();
    await env.connect();
    assert.equal(env.registry.countUser('alice'), 2);
    assert.equal(await env.registry.closeUser('alice'), 2);
    assert.equal(env.registry.list().length, 0);
  } finally {
    await env.cleanup();
  }
});

test('connections: idle checker spares active transfers and busy sessions', async () => {
  const env = await makeEnv({ common: { idle_timeout: 1 } });
  try {
    const idle = await env.connect();
    const transferring = await env.connect();
    const busy = await env.registry.open({
      protocol: 'FTP', user: env.user, remote: { ip: '127.0.0.1', port: 1 }, isBusy: () => true,
    });
    const closed: string[] = [];
    const notified = await env.registry.open({
      protocol: 'FTP', user: env.user, remote: { ip: '127.0.0.1', port: 2 }, onClose: (r) => closed.push(r),
    });
    const up = await transferring.openUpload('/f', { mode: 'truncate' });
    await up.write(Buffer.from('x'), 0);
    const later = Date.now() + 2 * 60 * 1000;
    assert.equal(await env.registry.checkIdle(later), 2);
    assert.equal(env.registry.get(idle.id), undefined);
    assert.equal(env.registry.get(notified.id), undefined);
    assert.deepEqual(closed, ['idle timeout']);
    assert.ok(env.registry.get(transferring.id));
    assert.ok(env.registry.get(busy.id));
    assert.equal(idle.signal.aborted, true);
    assert.equal(await kindOf(idle.stat('/')), 'Aborted');
    const st = env.registry.list().find((s) => s.connection_id === transferring.id)!;
    assert.equal(st.active_transfers.length, 1);
    assert.equal(st.username, 'alice');
    await up.close();
    assert.equal(await env.registry.checkIdle(later), 1);
  } finally {
    await env.cleanup();
  }
});

test('connections: admin close aborts transfers; ids are unique', async () => {
  const env = await makeEnv({ common: { upload_mode: 1 } });
  try {
    const c = await env.connect();
    const c2 = await env.registry.open({ protocol: 'SFTP', user: env.user, remote: { ip: '::1', port: 1 }, idHint: 'abc_1' });
    const c3 = await env.registry.open({ protocol: 'SFTP', user: env.user, remote: { ip: '::1', port: 1 }, idHint: 'abc_1' });
    assert.equal(c2.id, 'SFTP_abc_1');
    assert.notEqual(c3.id, c2.id);
    const up = await c.openUpload('/f', { mode: 'truncate' });
    await up.write(Buffer.from('partial'), 0);
    assert.equal(await env.registry.close(c.id), true);
    assert.equal(await env.registry.close(c.id), false);
    assert.equal(await kindOf(up.write(Buffer.from('more'), 7)), 'Aborted');
    assert.equal(await kindOf(c2.stat('/f')), 'NotFound', 'nothing partial visible');
    await env.registry.shutdown(0);
    assert.equal(env.registry.list().length, 0);
  } finally {
    await env.cleanup();
  }
});

test('connections: status fields for the connections API (IPv6 remote in brackets)', async () => {
  const env = await makeEnv();
  try {
    const c = await env.registry.open({
      protocol: 'FTP', user: env.user, remote: { ip: '2001:db8::5', port: 2121 }, clientVersion: 'lftp/4.9',
    });
    const v4 = await env.registry.open({ protocol: 'DAV', user: env.user, remote: { ip: '192.0.2.1', port: 80 } });
    c.setCommand('STOR /f');
    const st = env.registry.list().find((s) => s.connection_id === c.id)!;
    assert.equal(st.remote_address, '[2001:db8::5]:2121');
    assert.equal(st.client_version, 'lftp/4.9');
    assert.equal(st.command, 'STOR /f');
    assert.equal(st.protocol, 'FTP');
    assert.ok(st.connection_time > 0 && st.last_activity >= st.connection_time);
    assert.equal(v4.status().remote_address, '192.0.2.1:80');
    assert.equal(env.registry.size, 2);
  } finally {
    await env.cleanup();
  }
});
