import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { cidrList } from '../../../src/core/defender/iplist.js';
import { parseProxyHeader, proxyOptionsFromConfig, readProxyHeader, type ProxyOptions } from '../../../src/core/proxy/proxy-protocol.js';

function v2Header(srcIp: number[], srcPort: number, cmd = 1): Buffer {
  const sig = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
  const body = Buffer.alloc(12);
  Buffer.from(srcIp).copy(body, 0);
  Buffer.from([127, 0, 0, 1]).copy(body, 4);
  body.writeUInt16BE(srcPort, 8);
  body.writeUInt16BE(22, 10);
  const head = Buffer.from([0x20 | cmd, 0x11, 0, 12]);
  return Buffer.concat([sig, head, body]);
}

function v2Header6(srcPort: number): Buffer {
  const sig = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
  const body = Buffer.alloc(36);
  body.writeUInt16BE(0x2001, 0);
  body.writeUInt16BE(0x0db8, 2);
  body.writeUInt16BE(0x0001, 14);
  body.writeUInt16BE(srcPort, 32);
  return Buffer.concat([sig, Buffer.from([0x21, 0x21, 0, 36]), body]);
}

/** Starts a server reading the PROXY header, sends `payload` from a client, returns the address and the rest. */
async function roundTrip(opts: ProxyOptions, payload: Buffer[]): Promise<{ ip?: string; port?: number; rest: string; error?: string }> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const result = new Promise<{ ip?: string; port?: number; rest: string; error?: string }>((resolve) => {
    server.once('connection', async (sock) => {
      try {
        const addr = await readProxyHeader(sock, opts);
        let rest = '';
        sock.on('data', (c: Buffer) => { rest += c.toString(); });
        // No resume(): a library attaching 'data' must see the stream flow by itself.
        sock.on('end', () => { resolve({ ip: addr.ip, port: addr.port, rest }); sock.end(); });
      } catch (err) {
        sock.destroy();
        resolve({ rest: '', error: (err as Error).message });
      }
    });
  });
  const client = net.connect(port, '127.0.0.1');
  await once(client, 'connect');
  for (const p of payload) {
    client.write(p);
    await new Promise((r) => setTimeout(r, 10));
  }
  client.end();
  client.on('error', () => {});
  const res = await result;
  client.destroy();
  server.close();
  return res;
}

test('v1 header parsed, rest of the stream untouched (header split across packets)', async () => {
  const res = await roundTrip({ mode: 1 }, [Buffer.from('PROXY TCP4 203.0.113.7 10.0.0.1 '), Buffer.from('51234 22\r\nSSH-2.0-test\r\n')]);
  assert.deepEqual(res, { ip: '203.0.113.7', port: 51234, rest: 'SSH-2.0-test\r\n' });
});

test('v2 IPv4 and IPv6 headers', async () => {
  const r4 = await roundTrip({ mode: 2 }, [Buffer.concat([v2Header([198, 51, 100, 9], 4000), Buffer.from('hello')])]);
  assert.deepEqual(r4, { ip: '198.51.100.9', port: 4000, rest: 'hello' });
  const r6 = await roundTrip({ mode: 2 }, [Buffer.concat([v2Header6(5000), Buffer.from('x')])]);
  assert.equal(r6.ip, '2001:db8::1', 'canonical text, as Go prints it');
  assert.equal(r6.port, 5000);
  assert.equal(r6.rest, 'x');
});

test('v2 LOCAL command keeps the socket address', async () => {
  const r = await roundTrip({ mode: 1 }, [Buffer.concat([v2Header([1, 2, 3, 4], 1, 0), Buffer.from('y')])]);
  assert.equal(r.ip, '127.0.0.1');
  assert.equal(r.rest, 'y');
});

test('mode 1 without header passes data through; mode 2 without header is rejected', async () => {
  const r = await roundTrip({ mode: 1 }, [Buffer.from('SSH-2.0-plain\r\n')]);
  assert.equal(r.ip, '127.0.0.1');
  assert.equal(r.rest, 'SSH-2.0-plain\r\n');
  const r2 = await roundTrip({ mode: 2 }, [Buffer.from('SSH-2.0-plain\r\n')]);
  assert.match(r2.error ?? '', /required/);
});

test('proxy_allowed: mode 1 ignores headers from other sources, mode 2 rejects them', async () => {
  const allowed = cidrList(['10.0.0.0/8']);
  const r = await roundTrip({ mode: 1, allowed }, [Buffer.from('PROXY TCP4 203.0.113.7 10.0.0.1 1 22\r\nZ')]);
  assert.equal(r.ip, '127.0.0.1');
  assert.equal(r.rest, 'Z');
  const r2 = await roundTrip({ mode: 2, allowed }, [Buffer.from('PROXY TCP4 203.0.113.7 10.0.0.1 1 22\r\nZ')]);
  assert.match(r2.error ?? '', /not allowed/);
  const r3 = await roundTrip({ mode: 2, allowed: cidrList(['127.0.0.1']) }, [Buffer.from('PROXY TCP4 203.0.113.7 10.0.0.1 1 22\r\nZ')]);
  assert.equal(r3.ip, '203.0.113.7');
});

test('header timeout: optional mode falls back to the socket address', async () => {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const got = new Promise<string>((resolve, reject) => {
    server.once('connection', (sock) => {
      readProxyHeader(sock, { mode: 1, timeoutMs: 50 }).then((a) => { resolve(a.ip); sock.destroy(); }, reject);
    });
  });
  const client = net.connect(port, '127.0.0.1');
  client.on('error', () => {});
  assert.equal(await got, '127.0.0.1');
  client.destroy();
  server.close();
});

/** A raw v2 header with the given version/command byte, family byte and address block. */
function rawV2(verCmd: number, fam: number, body: Buffer): Buffer {
  const sig = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
  const head = Buffer.from([verCmd, fam, 0, 0]);
  head.writeUInt16BE(body.length, 2);
  return Buffer.concat([sig, head, body]);
}

test('v1 addresses: TCP6, validation of every field', () => {
  const line = 'PROXY TCP6 2001:db8::7 2001:db8::1 40000 22\r\n';
  assert.deepEqual(parseProxyHeader(Buffer.from(`${line}SSH-2.0`)), { state: 'done', consumed: line.length, address: { ip: '2001:db8::7', port: 40000 } });
  for (const bad of [
    'PROXY TCP4 evil.example 10.0.0.1 1 22', // not an IP
    'PROXY TCP4 2001:db8::7 10.0.0.1 1 22', // family mismatch
    'PROXY TCP6 203.0.113.7 2001:db8::1 1 22', // family mismatch
    'PROXY TCP4 203.0.113.7 nope 1 22', // bad destination
    'PROXY TCP4 203.0.113.7 10.0.0.1 70000 22', // port out of range
    'PROXY TCP4 203.0.113.7 10.0.0.1 -1 22',
    'PROXY TCP4 203.0.113.7 10.0.0.1 1 x',
    'PROXY TCP4 203.0.113.7 10.0.0.1 1 22 extra',
    'PROXY TCP5 203.0.113.7 10.0.0.1 1 22',
  ]) {
    assert.equal(parseProxyHeader(Buffer.from(`${bad}\r\n`)).state, 'error', bad);
  }
});

test('v2: commands, short address blocks, IPv4-mapped addresses, TLVs skipped', () => {
  const v4 = Buffer.alloc(12);
  assert.equal(parseProxyHeader(rawV2(0x22, 0x11, v4)).state, 'error', 'command 2 does not exist');
  assert.equal(parseProxyHeader(rawV2(0x11, 0x11, v4)).state, 'error', 'version 1 in a v2 signature');
  assert.equal(parseProxyHeader(rawV2(0x21, 0x11, Buffer.alloc(8))).state, 'error', 'IPv4 block too short');
  assert.equal(parseProxyHeader(rawV2(0x21, 0x21, Buffer.alloc(20))).state, 'error', 'IPv6 block too short');
  const mapped = Buffer.alloc(36 + 7); // + a TLV the parser must skip over
  Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 5]).copy(mapped, 0);
  mapped.writeUInt16BE(6000, 32);
  const res = parseProxyHeader(Buffer.concat([rawV2(0x21, 0x21, mapped), Buffer.from('rest')]));
  assert.deepEqual(res, { state: 'done', consumed: 16 + 43, address: { ip: '192.0.2.5', port: 6000 } });
  assert.equal(parseProxyHeader(rawV2(0x21, 0x31, Buffer.alloc(216))).state, 'done', 'AF_UNIX keeps the socket address');
  assert.equal(parseProxyHeader(rawV2(0x21, 0x11, v4).subarray(0, 20)).state, 'more');
});

test('malformed headers', () => {
  assert.equal(parseProxyHeader(Buffer.from('PROXY TCP4 1.2.3.4\r\n')).state, 'error');
  assert.equal(parseProxyHeader(Buffer.from('PROXY ' + 'x'.repeat(120))).state, 'error');
  assert.equal(parseProxyHeader(Buffer.from('PROX')).state, 'more');
  assert.equal(parseProxyHeader(Buffer.from('GET /')).state, 'none');
  assert.equal(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\n')).state, 'done');
});

test('binding options from config', () => {
  assert.deepEqual(proxyOptionsFromConfig({ proxy_protocol: 2, proxy_allowed: [] }, false), { mode: 0 });
  const o = proxyOptionsFromConfig({ proxy_protocol: 1, proxy_allowed: ['10.0.0.0/8', '192.168.1.1'] }, true);
  assert.equal(o.mode, 1);
  assert.equal(o.allowed?.has('10.2.3.4'), true);
  assert.equal(o.allowed?.has('192.168.1.2'), false);
  assert.throws(() => proxyOptionsFromConfig({ proxy_protocol: 1, proxy_allowed: ['nope'] }, true));
});

test('a dual-stack listener\'s IPv4-mapped client address comes out as plain IPv4 (one key for gate and defender on every protocol)', async () => {
  const server = net.createServer();
  server.listen(0, '::');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const seen = new Promise<{ raw?: string; ip: string }>((resolve) => {
    server.once('connection', async (sock) => {
      const addr = await readProxyHeader(sock, { mode: 0 });
      resolve({ raw: sock.remoteAddress, ip: addr.ip });
      sock.destroy();
    });
  });
  const client = net.connect(port, '127.0.0.1');
  client.on('error', () => {});
  const { raw, ip } = await seen;
  client.destroy();
  server.close();
  assert.equal(raw, '::ffff:127.0.0.1', 'the socket reports the mapped form');
  assert.equal(ip, '127.0.0.1');
});
