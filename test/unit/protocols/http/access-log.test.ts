/**
 * The shared HTTP access log line (httpd, webdavd): SFTPGo's fields, body bytes per request (not
 * per socket), whole milliseconds, the full URI, one line per request even when the client leaves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startAccessLog } from '../../../../src/protocols/http/access-log.js';

type Line = Record<string, unknown>;

const KEYS = ['level', 'time', 'sender', 'remote_addr', 'proto', 'method', 'user_agent', 'uri', 'resp_status', 'resp_size', 'elapsed_ms', 'request_id'];

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void, ip?: string) {
  const lines: Line[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(chunk.toString()) as Line); cb(); } });
  const logger = pino({ base: undefined, messageKey: 'message', formatters: { level: (l) => ({ level: l }) } }, sink);
  let n = 0;
  const server = http.createServer((req, res) => {
    startAccessLog(logger, req, res, { sender: 'webdavd', ip: ip ?? req.socket.remoteAddress!, requestId: `DAV_${++n}` });
    handler(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const waitLines = async (count: number) => {
    for (let i = 0; i < 500 && lines.length < count; i++) await new Promise((r) => setTimeout(r, 5));
    return lines;
  };
  return { port, lines, waitLines, close: () => new Promise((r) => server.close(r)) };
}

test('access log: SFTPGo fields, body bytes of each request on a kept-alive socket, HEAD has no body', async () => {
  const s = await serve((req, res) => {
    if (req.url === '/stream') {
      res.write('abc');
      res.write(Buffer.from('de'));
      res.end('f');
      return;
    }
    res.statusCode = req.url === '/missing' ? 404 : 207;
    res.setHeader('Content-Length', '5');
    res.end(req.method === 'HEAD' ? undefined : 'hello');
  });
  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string, method = 'GET') => new Promise<void>((resolve, reject) => {
      http.request({ port: s.port, host: '127.0.0.1', path, method, agent, headers: { 'user-agent': 'test-agent/1' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      }).on('error', reject).end();
    });
    await get('/a%20b?x=1');
    await get('/stream');
    await get('/a', 'HEAD');
    await get('/missing');
    agent.destroy();
    const lines = await s.waitLines(4);
    assert.equal(lines.length, 4);
    for (const l of lines) {
      assert.deepEqual(Object.keys(l), KEYS);
      assert.equal(l.level, 'info');
      assert.equal(l.sender, 'webdavd');
      assert.ok(Number.isInteger(l.elapsed_ms));
      assert.match(String(l.remote_addr), /^127\.0\.0\.1:\d+$/);
      assert.equal(l.proto, 'HTTP/1.1');
      assert.equal(l.user_agent, 'test-agent/1');
    }
    assert.deepEqual(lines.map((l) => [l.method, l.uri, l.resp_status, l.resp_size, l.request_id]), [
      ['GET', `http://127.0.0.1:${s.port}/a%20b?x=1`, 207, 5, 'DAV_1'],
      ['GET', `http://127.0.0.1:${s.port}/stream`, 200, 6, 'DAV_2'],
      ['HEAD', `http://127.0.0.1:${s.port}/a`, 207, 0, 'DAV_3'],
      ['GET', `http://127.0.0.1:${s.port}/missing`, 404, 5, 'DAV_4'],
    ]);
  } finally {
    await s.close();
  }
});

test('access log: a client that leaves mid-request is logged once; a proxy-given IP has no port', async () => {
  const s = await serve((_req, res) => {
    res.write('partial');
    // Never ends: the client goes away.
  }, '203.0.113.9');
  try {
    const sock = net.connect(s.port, '127.0.0.1');
    await once(sock, 'connect');
    sock.write('GET /x HTTP/1.1\r\nHost: dav.example\r\n\r\n');
    await once(sock, 'data');
    sock.destroy();
    const lines = await s.waitLines(1);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.remote_addr, '203.0.113.9');
    assert.equal(lines[0]!.uri, 'http://dav.example/x');
    assert.equal(lines[0]!.resp_size, 7);
    assert.equal(lines[0]!.user_agent, '');
  } finally {
    await s.close();
  }
});
