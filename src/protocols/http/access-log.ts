/**
 * The HTTP access log line (INVENTORY §9.1) shared by httpd and webdavd: SFTPGo's fields
 * `sender`, `remote_addr`, `proto`, `method`, `user_agent`, `uri` (`scheme://host` + request URI),
 * `resp_status`, `resp_size` (body bytes written), `elapsed_ms` (whole milliseconds),
 * `request_id`; no `message`. Written once when the response is done or the client went away.
 *
 * The line goes to the root logger: the protocol loggers bind `sender` and `protocol`, and pino
 * would write bound keys twice.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { normalizeIp } from './ip.js';

/** What the caller knows about the request when it starts. */
export interface AccessLogStart {
  sender: 'httpd' | 'webdavd';
  /** Client IP after proxy headers. */
  ip: string;
  requestId: string;
}

/** Go's `r.RemoteAddr`: "ip:port" ("[v6]:port"), or the bare IP a trusted proxy header gave. */
export function remoteAddr(req: IncomingMessage, ip: string): string {
  const s = req.socket;
  if (normalizeIp(s.remoteAddress ?? '') !== ip) return ip;
  return ip.includes(':') ? `[${ip}]:${s.remotePort ?? 0}` : `${ip}:${s.remotePort ?? 0}`;
}

/** Counts the body bytes written (Go's BytesWritten: headers excluded, nothing for HEAD). */
function countBody(res: ServerResponse): () => number {
  let n = 0;
  const add = (chunk: unknown, enc?: unknown) => {
    if (typeof chunk === 'string') n += Buffer.byteLength(chunk, typeof enc === 'string' ? (enc as BufferEncoding) : 'utf8');
    else if (chunk instanceof Uint8Array) n += chunk.byteLength;
  };
  const write = res.write.bind(res) as (...a: unknown[]) => boolean;
  const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    add(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== 'function') add(chunk, rest[0]);
    return end(chunk, ...rest);
  }) as ServerResponse['end'];
  return () => (res.req.method === 'HEAD' ? 0 : n);
}

/** Starts the access log of one request; the line is written once, when the response closes. */
export function startAccessLog(logger: Logger, req: IncomingMessage, res: ServerResponse, start: AccessLogStart): void {
  const started = process.hrtime.bigint();
  // Taken now: routing may rewrite req.url (trailing slash stripping) before the line is written.
  const url = req.url ?? '';
  const bodyBytes = countBody(res);
  res.once('close', () => {
    const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
    logger.info({
      sender: start.sender, remote_addr: remoteAddr(req, start.ip), proto: `HTTP/${req.httpVersion}`, method: req.method,
      user_agent: req.headers['user-agent'] ?? '', uri: `${scheme}://${req.headers.host ?? ''}${url}`,
      resp_status: res.statusCode, resp_size: bodyBytes(),
      elapsed_ms: Number((process.hrtime.bigint() - started) / 1_000_000n), request_id: start.requestId,
    });
  });
}
