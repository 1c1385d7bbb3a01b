/**
 * mDNS advertising of portable mode: the DNS-SD records bonjour-service would send (built with its
 * own Service class, no socket opened: tests stay off the network) and the publish/unpublish flow.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { Service, type ServiceConfig } from 'bonjour-service';
import { advertise, serviceConfigs, type AdvertisedServices, type MdnsFactory } from '../../../src/app/portable/mdns.js';

const all: AdvertisedServices = { version: '2.1.2', username: 'user', password: 'aB3dE6gH', sftpPort: 50123, ftpPort: 50124, webdavPort: 50125 };

function records(config: ServiceConfig) {
  const noop = () => undefined;
  return new Service({ ...config, host: 'box.local' }, noop, noop).records();
}

test('one DNS-SD service per enabled file service, named "SFTPGo portable <port>" with TXT version', () => {
  const configs = serviceConfigs({ ...all, ftpPort: 0 }, false);
  assert.deepEqual(configs.map((c) => [c.type, c.name, c.port]), [['sftp-ssh', 'SFTPGo portable 50123', 50123], ['http', 'SFTPGo portable 50125', 50125]]);
  const sftp = records(configs[0]!);
  const ptr = sftp.find((r) => r.type === 'PTR' && r.name === '_sftp-ssh._tcp.local');
  assert.equal(ptr?.data, 'SFTPGo portable 50123._sftp-ssh._tcp.local');
  const srv = sftp.find((r) => r.type === 'SRV');
  assert.equal(srv?.name, 'SFTPGo portable 50123._sftp-ssh._tcp.local');
  assert.equal(srv?.data.port, 50123);
  const txt = sftp.find((r) => r.type === 'TXT');
  assert.deepEqual(txt?.data.map((b: Buffer) => b.toString()), ['version=2.1.2']);
  assert.ok(records(configs[1]!).some((r) => r.type === 'PTR' && r.name === '_http._tcp.local'), 'WebDAV is _http._tcp');
  assert.ok(records(serviceConfigs(all, false)[1]!).some((r) => r.type === 'PTR' && r.name === '_ftp._tcp.local'));
});

test('--advertise-credentials adds user and password; key-only users advertise the user only', () => {
  const txt = (s: AdvertisedServices) => records(serviceConfigs(s, true)[0]!).find((r) => r.type === 'TXT')!.data.map((b: Buffer) => b.toString());
  assert.deepEqual(txt(all), ['version=2.1.2', 'user=user', 'password=aB3dE6gH']);
  assert.deepEqual(txt({ ...all, password: '' }), ['version=2.1.2', 'user=user']);
});

function recorder() {
  const events: string[] = [];
  let onError: (err: Error) => void = () => undefined;
  const factory: MdnsFactory = (cb) => {
    onError = cb;
    return {
      publish: (c: ServiceConfig) => { events.push(`publish ${c.type}`); return {}; },
      unpublishAll: (done: () => void) => { events.push('unpublishAll'); done(); },
      destroy: () => { events.push('destroy'); },
    };
  };
  return { events, factory, fail: (err: Error) => onError(err) };
}

function output() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => { text += d; });
  return { out, text: () => text };
}

test('advertise publishes, says so, and the stop function unregisters then destroys', async () => {
  const r = recorder();
  const o = output();
  const stop = advertise({ ...all, password: '' }, true, o.out, r.factory);
  assert.deepEqual(r.events, ['publish sftp-ssh', 'publish ftp', 'publish http']);
  assert.match(o.text(), /Advertising credentials via multicast DNS/);
  assert.match(o.text(), /Unable to advertise key based credentials via multicast DNS, we don't have the private key/);
  assert.match(o.text(), /SFTP service advertised via multicast DNS\nFTP service advertised via multicast DNS\nWebDAV service advertised/);
  await stop();
  assert.deepEqual(r.events.slice(3), ['unpublishAll', 'destroy']);
  assert.match(o.text(), /unregistering multicast DNS services/);
});

test('a socket error is a console warning, not a crash', () => {
  const r = recorder();
  const o = output();
  void advertise(all, false, o.out, r.factory);
  r.fail(new Error('bind EADDRINUSE 0.0.0.0:5353'));
  assert.match(o.text(), /Unable to advertise services via multicast DNS: bind EADDRINUSE/);
});

test('unregistering gives up after a while when the socket never answers', async () => {
  const o = output();
  const destroyed: string[] = [];
  const stop = advertise(all, false, o.out, () => ({ publish: () => ({}), unpublishAll: () => undefined, destroy: () => { destroyed.push('x'); } }));
  await stop();
  assert.deepEqual(destroyed, ['x']);
});
