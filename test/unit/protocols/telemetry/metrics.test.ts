import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PromMetrics } from '../../../../src/protocols/telemetry/metrics.js';

test('registers the 87 SFTPGo metric names (no labels) plus process metrics, per instance', async () => {
  const m = new PromMetrics();
  const names = (await m.registry.getMetricsAsJSON()).map((x) => x.name);
  const sftpgo = names.filter((n) => n.startsWith('sftpgo_'));
  assert.equal(sftpgo.length, 87);
  for (const n of ['sftpgo_dataprovider_availability', 'sftpgo_active_connections', 'sftpgo_uploads_total', 'sftpgo_upload_size',
    'sftpgo_public_key_login_ok_total', 'sftpgo_key_and_keyboard_int_login_ko_total', 'sftpgo_http_server_errors_total',
    'sftpgo_az_head_container_errors', 'sftpgo_s3_head_bucket']) assert.ok(sftpgo.includes(n), n);
  assert.ok(names.includes('process_cpu_user_seconds_total'));
  new PromMetrics({ processMetrics: true });
});

test('core events move the right counters', async () => {
  const m = new PromMetrics({ processMetrics: false });
  m.transferCompleted('upload', 100, true);
  m.transferCompleted('download', 50, false);
  m.loginAttempt('publickey');
  m.loginResult('publickey', true);
  m.loginAttempt('password');
  m.loginResult('password', false);
  m.loginAttempt('no_auth');
  m.sshCommand(false);
  m.connectionsChanged(3);
  m.providerAvailability(true);
  for (const s of [200, 404, 500]) m.httpRequest(s);
  const text = await m.registry.metrics();
  const value = (n: string) => Number(new RegExp(`^${n} (\\S+)$`, 'm').exec(text)?.[1]);
  assert.equal(value('sftpgo_uploads_total'), 1);
  assert.equal(value('sftpgo_upload_size'), 100);
  assert.equal(value('sftpgo_download_errors_total'), 1);
  assert.equal(value('sftpgo_login_attempts_total'), 2);
  assert.equal(value('sftpgo_public_key_login_ok_total'), 1);
  assert.equal(value('sftpgo_password_login_ko_total'), 1);
  assert.equal(value('sftpgo_login_ko_total'), 1);
  assert.equal(value('sftpgo_no_auth_total'), 1);
  assert.equal(value('sftpgo_ssh_command_errors_total'), 1);
  assert.equal(value('sftpgo_active_connections'), 3);
  assert.equal(value('sftpgo_dataprovider_availability'), 1);
  assert.equal(value('sftpgo_http_req_total'), 3);
  assert.equal(value('sftpgo_http_req_ok_total'), 1);
  assert.equal(value('sftpgo_http_client_errors_total'), 1);
  assert.equal(value('sftpgo_http_server_errors_total'), 1);
});
