/**
 * Writing responses: plain statuses, XML bodies, the error funnel (every thrown value becomes a
 * status through status-map, never a crash), and request bodies read with a size cap.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { RateLimitedError } from '../../util/errors.js';
import { retryHeaders } from '../http/retry.js';
import { REALM } from './auth.js';
import { clientMessage, DavError, statusFor } from './status-map.js';
import { escapeText } from './xml.js';

/** Content type of our XML bodies. */
export const XML_TYPE = 'application/xml; charset=utf-8';
/** XML declaration starting every XML body. */
export const XML_DECL = '<?xml version="1.0" encoding="utf-8"?>\n';

/** Methods we serve (the Allow header of OPTIONS and 405 answers). */
export const ALLOW = 'OPTIONS, GET, HEAD, POST, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK';

/** XML request bodies larger than this are refused (PROPFIND/PROPPATCH/LOCK bodies are small). */
export const MAX_XML_BODY = 1024 * 1024;

/** Sends a status with a short text body (empty for 204/304 and HEAD). */
export function sendStatus(res: ServerResponse, status: number, text = '', headers: Record<string, string> = {}): void {
  const noBody = status === 204 || status === 304 || res.req.method === 'HEAD';
  const body = noBody ? '' : text ? `${text}\n` : '';
  res.writeHead(status, { ...headers, ...(body ? { 'Content-Type': 'text/plain; charset=utf-8' } : {}), 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Sends an XML document. */
export function sendXml(res: ServerResponse, status: number, xml: string, headers: Record<string, string> = {}): void {
  const body = XML_DECL + xml;
  res.writeHead(status, { ...headers, 'Content-Type': XML_TYPE, 'Content-Length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/**
 * The error funnel. A response already under way cannot change status: its socket is destroyed so
 * the client sees a truncated transfer rather than a wrong success. A request whose body was not
 * read closes the connection afterwards, so a refused upload is not read to its end.
 */
export function sendError(res: ServerResponse, err: unknown, log: Logger): void {
  const status = statusFor(err);
  if (status >= 500) log.warn({ err, status }, 'request failed');
  else log.debug({ status, reason: clientMessage(err) }, 'request refused');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string> = {};
  if (status === 401) headers['WWW-Authenticate'] = `Basic realm="${REALM}"`;
  if (status === 405) headers.Allow = ALLOW;
  if (err instanceof RateLimitedError) Object.assign(headers, retryHeaders(err.retryAfterMs));
  if (!res.req.complete) headers.Connection = 'close';
  if (err instanceof DavError && err.condition) {
    sendXml(res, status, `<D:error xmlns:D="DAV:"><D:${err.condition}/></D:error>`, headers);
    return;
  }
  sendStatus(res, status, clientMessage(err), headers);
}

/** A request header as one string (repeated headers joined with ", "). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Lets a client waiting on `Expect: 100-continue` send its body (RFC 9110 §10.1.1). */
export function continueIfExpected(req: IncomingMessage, res: ServerResponse): void {
  if (/100-continue/i.test(req.headers.expect ?? '') && !res.headersSent) res.writeContinue();
}

/** True when the request carries a body (Content-Length > 0 or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  const len = req.headers['content-length'];
  if (len !== undefined) return Number(len) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

/** Reads a small body as UTF-8 text; 413 past `MAX_XML_BODY`. */
export async function readText(req: IncomingMessage, res: ServerResponse): Promise<string> {
  if (!hasBody(req)) return '';
  if (Number(req.headers['content-length'] ?? 0) > MAX_XML_BODY) throw new DavError(413, 'request body too large');
  continueIfExpected(req, res);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_XML_BODY) throw new DavError(413, 'request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `<D:href>` content for an href. */
export function hrefXml(href: string): string {
  return `<D:href>${escapeText(href)}</D:href>`;
}
