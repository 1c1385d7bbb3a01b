/**
 * Array-of-struct config lists decode as SFTPGo's viper + mapstructure decode a config file into
 * the defaults: item 0 over the default item 0, later items from Go zero values, an empty list
 * keeps the defaults; SFTPGO_*__<i>__* appends an item that starts from the item defaults;
 * CLI/test overrides replace the list. JSON, YAML and TOML files all take the same path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildConfig, loadConfig, type Config } from '../../../src/config/index.js';

async function load(name: string, text: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Config> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-lists-'));
  try {
    if (name) await writeFile(path.join(dir, name), text);
    return (await loadConfig({ configDir: dir, env: { HOME: path.join(dir, 'home'), ...extraEnv } })).config;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('JSON: httpd item 0 keeps its defaults (address 127.0.0.1, web admin/client on); item 1 starts from zero values', async () => {
  const c = await load('sftpgo.json', JSON.stringify({ httpd: { bindings: [{ port: 9090 }, { port: 9091 }] } }));
  assert.deepEqual(c.httpd.bindings[0], {
    port: 9090, address: '127.0.0.1', enable_web_admin: true, enable_web_client: true, enable_https: false,
    client_auth_type: 0, tls_cipher_suites: [], proxy_allowed: [],
  });
  assert.deepEqual(c.httpd.bindings[1], {
    port: 9091, address: '', enable_web_admin: false, enable_web_client: false, enable_https: false,
    client_auth_type: 0, tls_cipher_suites: [], proxy_allowed: [],
  });
});

test('JSON: an sftpd binding giving only its address keeps port 2022; an empty list keeps the default binding', async () => {
  const c = await load('sftpgo.json', JSON.stringify({ sftpd: { bindings: [{ address: '127.0.0.1' }] }, webdavd: { bindings: [] } }));
  assert.deepEqual(c.sftpd.bindings, [{ port: 2022, address: '127.0.0.1', apply_proxy_config: true }]);
  assert.equal(c.webdavd.bindings.length, 1);
  assert.equal(c.webdavd.bindings[0]!.port, 0);
  const empty = await load('sftpgo.json', JSON.stringify({ sftpd: { bindings: [] } }));
  assert.deepEqual(empty.sftpd.bindings, [{ port: 2022, address: '', apply_proxy_config: true }]);
});

test('YAML: rate_limiters item 0 keeps period/burst/type/protocols; item 1 is zero-valued', async () => {
  const yaml = 'common:\n  rate_limiters:\n    - average: 10\n    - type: 1\n';
  const c = await load('sftpgo.yaml', yaml);
  assert.deepEqual(c.common.rate_limiters[0], {
    average: 10, period: 1000, burst: 1, type: 2, protocols: ['SSH', 'FTP', 'DAV', 'HTTP'],
    generate_defender_events: false, entries_soft_limit: 100, entries_hard_limit: 150,
  });
  assert.deepEqual(c.common.rate_limiters[1], {
    average: 0, period: 0, burst: 0, type: 1, protocols: [],
    generate_defender_events: false, entries_soft_limit: 0, entries_hard_limit: 0,
  });
});

test('TOML: ftpd item 0 keeps apply_proxy_config true, item 1 has it false; webdavd item 0 keeps its defaults', async () => {
  const toml = [
    '[[ftpd.bindings]]', 'port = 2121', '', '[[ftpd.bindings]]', 'port = 2122', 'tls_mode = 1', '',
    '[[webdavd.bindings]]', 'port = 8090', '',
  ].join('\n');
  const c = await load('sftpgo.toml', toml);
  assert.deepEqual(c.ftpd.bindings.map((b) => [b.port, b.apply_proxy_config, b.tls_mode]), [[2121, true, 0], [2122, false, 1]]);
  assert.deepEqual(c.webdavd.bindings, [{
    port: 8090, address: '', enable_https: false, client_auth_type: 0, tls_cipher_suites: [], prefix: '', proxy_allowed: [],
  }]);
});

test('env: SFTPGO_SFTPD__BINDINGS__1__PORT adds a second binding that starts from the binding defaults', async () => {
  const c = await load('', '', { SFTPGO_SFTPD__BINDINGS__1__PORT: '2023', SFTPGO_HTTPD__BINDINGS__1__PORT: '8081' });
  assert.deepEqual(c.sftpd.bindings, [
    { port: 2022, address: '', apply_proxy_config: true },
    { port: 2023, address: '', apply_proxy_config: true },
  ]);
  assert.equal(c.httpd.bindings[1]!.port, 8081);
  assert.equal(c.httpd.bindings[1]!.enable_web_admin, true);
  const withFile = await load('sftpgo.json', JSON.stringify({ sftpd: { bindings: [{ port: 3022 }] } }), { SFTPGO_SFTPD__BINDINGS__1__ADDRESS: '127.0.0.1' });
  assert.deepEqual(withFile.sftpd.bindings.map((b) => [b.port, b.address]), [[3022, ''], [0, '127.0.0.1']]);
});

test('overrides (CLI, portable, tests) replace the list: bindings [] means none', () => {
  assert.deepEqual(buildConfig({ sftpd: { bindings: [] } }).sftpd.bindings, []);
  assert.deepEqual(buildConfig({ sftpd: { bindings: [{ port: 5022 }] } }).sftpd.bindings, [{ port: 5022, address: '', apply_proxy_config: true }]);
});
