import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configSchema, envName } from '../../../src/config/schema.js';
import { KEY_META } from '../../../src/config/schema-docs.js';
import { defaultConfig } from '../../../src/config/defaults.js';
import { exampleConfigText } from '../../../src/config/example.js';

const examplePath = fileURLToPath(new URL('../../../sftpgo.example.json', import.meta.url));

function allPaths(): string[] {
  return configSchema().flatMap((e) => [e.path, ...(e.fields ?? []).map((f) => `${e.path}[].${f.path}`)]);
}

test('every key has a doc line and every doc names an existing key', () => {
  const paths = allPaths();
  const undocumented = configSchema().flatMap((e) => [e, ...(e.fields ?? [])]).filter((e) => !e.doc);
  assert.deepEqual(undocumented.map((e) => e.path), []);
  const stray = Object.keys(KEY_META).filter((k) => !paths.includes(k));
  assert.deepEqual(stray, []);
});

test('env names follow SFTPGo: SFTPGO_ + upper-cased path joined by __', () => {
  assert.equal(envName('data_provider.driver'), 'SFTPGO_DATA_PROVIDER__DRIVER');
  assert.equal(envName('common.defender.enabled'), 'SFTPGO_COMMON__DEFENDER__ENABLED');
  assert.equal(envName('sftpd.bindings[].port'), 'SFTPGO_SFTPD__BINDINGS__<i>__PORT');
  const bindings = configSchema().find((e) => e.path === 'sftpd.bindings')!;
  assert.equal(bindings.type, 'items');
  assert.deepEqual(bindings.fields!.map((f) => f.path), ['port', 'address', 'apply_proxy_config']);
  assert.equal(configSchema().find((e) => e.path === 'http.timeout')!.type, 'float');
  assert.equal(configSchema().find((e) => e.path === 'sftpd.host_keys')!.type, 'string[]');
});

test('code defaults carry the v2.1.2 quirks (INVENTORY §13)', () => {
  const c = defaultConfig();
  assert.equal(c.httpd.bindings[0]!.address, '127.0.0.1');
  assert.equal(c.httpd.bindings[0]!.port, 8080);
  assert.equal(c.data_provider.track_quota, 1);
  assert.equal(c.ftpd.active_transfers_port_non_20, true);
  assert.deepEqual(c.sftpd.enabled_ssh_commands, ['md5sum', 'sha1sum', 'cd', 'pwd', 'scp']);
  assert.deepEqual(c.sftpd.bindings, [{ port: 2022, address: '', apply_proxy_config: true }]);
  assert.equal(c.ftpd.bindings[0]!.port, 0);
  assert.equal(c.webdavd.bindings[0]!.port, 0);
  assert.equal(c.telemetry.bind_port, 10000);
  assert.equal(c.sftpd.banner, 'SFTPGo_2.1.2');
  assert.equal(c.ftpd.banner, 'SFTPGo 2.1.2 ready');
});

test('defaultConfig returns a fresh mutable copy each time', () => {
  const a = defaultConfig();
  a.sftpd.bindings[0]!.port = 1;
  a.common.rate_limiters[0]!.protocols.push('X');
  assert.equal(defaultConfig().sftpd.bindings[0]!.port, 2022);
  assert.deepEqual(defaultConfig().common.rate_limiters[0]!.protocols, ['SSH', 'FTP', 'DAV', 'HTTP']);
});

test('committed sftpgo.example.json is generated from the schema (run npm run gen:example-config)', () => {
  assert.equal(readFileSync(examplePath, 'utf8'), exampleConfigText());
  assert.deepEqual(JSON.parse(readFileSync(examplePath, 'utf8')), defaultConfig());
});
