/** The config layer of portable mode, validated through the real config builder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildConfig } from '../../../src/config/index.js';
import { configuredAddresses, portableOverrides } from '../../../src/app/portable/config.js';
import { ALL_SSH_COMMANDS } from '../../../src/app/portable/options.js';
import { baseFlags } from './portable-fixture.js';

const anywhere = { sftp: '', ftp: '', webdav: '' };

test('memory provider, no HTTP server, no telemetry, max_auth_tries 12, SFTP only by default', () => {
  const c = buildConfig(portableOverrides(baseFlags, { sftp: 50000, ftp: 0, webdav: 0 }, anywhere, '2.1.2'));
  assert.equal(c.data_provider.driver, 'memory');
  assert.equal(c.data_provider.name, '');
  assert.equal(c.data_provider.prefer_database_credentials, true);
  assert.deepEqual(c.httpd.bindings, []);
  assert.equal(c.telemetry.bind_port, 0);
  assert.equal(c.sftpd.max_auth_tries, 12);
  assert.deepEqual(c.sftpd.bindings.map((b) => [b.port, b.address, b.apply_proxy_config]), [[50000, '', false]]);
  assert.deepEqual(c.sftpd.enabled_ssh_commands, ['md5sum', 'sha1sum', 'cd', 'pwd', 'scp']);
  assert.deepEqual(c.ftpd.bindings, [], 'FTP off unless given');
  assert.deepEqual(c.webdavd.bindings, [], 'WebDAV off unless given');
  assert.equal(c.ftpd.banner, 'SFTPGo portable 2.1.2 ready');
});

test('FTP with its TLS pair (explicit FTPS, mode 0), WebDAV over HTTPS, "*" SSH commands', () => {
  const flags = {
    ...baseFlags, sshCommands: ['*'], ftpdCert: '/tls/ftp.crt', ftpdKey: '/tls/ftp.key', webdavCert: '/tls/dav.crt', webdavKey: '/tls/dav.key',
  };
  const c = buildConfig(portableOverrides(flags, { sftp: 0, ftp: 50001, webdav: 50002 }, anywhere, '2.1.2'));
  assert.deepEqual(c.sftpd.bindings, [], 'SFTP disabled with a negative port');
  assert.deepEqual(c.ftpd.bindings.map((b) => [b.port, b.tls_mode]), [[50001, 0]]);
  assert.equal(c.ftpd.certificate_file, '/tls/ftp.crt');
  assert.equal(c.ftpd.certificate_key_file, '/tls/ftp.key');
  assert.deepEqual(c.webdavd.bindings.map((b) => [b.port, b.enable_https]), [[50002, true]]);
  assert.equal(c.webdavd.certificate_file, '/tls/dav.crt');
  assert.deepEqual(c.sftpd.enabled_ssh_commands, ALL_SSH_COMMANDS);
});

test('without both TLS files no TLS is configured', () => {
  const c = buildConfig(portableOverrides({ ...baseFlags, webdavCert: '/tls/dav.crt' }, { sftp: 0, ftp: 0, webdav: 50002 }, anywhere, '2.1.2'));
  assert.equal(c.webdavd.bindings[0]!.enable_https, false);
  assert.equal(c.webdavd.certificate_file, '');
});

test('each service keeps the listen address configured for its first binding', () => {
  const configured = buildConfig({ sftpd: { bindings: [{ port: 2022, address: '127.0.0.1' }] }, webdavd: { bindings: [{ port: 8090, address: '::1' }] } });
  const addresses = configuredAddresses(configured);
  assert.deepEqual(addresses, { sftp: '127.0.0.1', ftp: '', webdav: '::1' });
  const c = buildConfig(portableOverrides(baseFlags, { sftp: 50000, ftp: 50001, webdav: 50002 }, addresses, '2.1.2'));
  assert.deepEqual([c.sftpd.bindings[0]!.address, c.ftpd.bindings[0]!.address, c.webdavd.bindings[0]!.address], ['127.0.0.1', '', '::1']);
});
