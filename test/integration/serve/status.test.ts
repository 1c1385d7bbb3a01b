import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildConfig } from '../../../src/config/index.js';
import { servicesStatusFromConfig } from '../../../src/app/status.js';
import { SchemaValidator } from '../../../src/protocols/http/validate.js';

test('services status from config matches the spec schemas and reflects running services', () => {
  const config = buildConfig({ ftpd: { bindings: [{ port: 0 }] } });
  const running = [{ name: 'SFTP', start: async () => undefined, stop: async () => undefined, addresses: () => ['127.0.0.1:2022'] }];
  const st = servicesStatusFromConfig(config, running);
  assert.equal(st.ssh?.is_active, true);
  assert.deepEqual(st.ssh?.bindings, [{ address: config.sftpd.bindings[0]!.address, port: 2022, apply_proxy_config: config.sftpd.bindings[0]!.apply_proxy_config }]);
  assert.equal(st.ftp?.is_active, false);
  assert.equal(st.ftp?.bindings, null);
  const v = new SchemaValidator();
  v.check('ServicesStatus', { ...st, data_provider: { is_active: true, driver: 'sqlite', error: '' }, defender: { is_active: false } });
});
