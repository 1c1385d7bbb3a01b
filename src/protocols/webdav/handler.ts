/**
 * One WebDAV request, in SFTPGo's order (INVENTORY §3.5): real client IP (proxy headers only from
 * proxy_allowed sources), CORS, the core gate (ban, connection limits, rate limit, post-connect
 * hook), OPTIONS answered before authentication (Windows clients probe without credentials),
 * authentication, a core connection for the request (protocol DAV, listed by the API), then the
 * method handler. Every error ends in the error funnel; nothing escapes as a crash. Each request
 * writes one `webdavd` access log line, the same shape as httpd's (http/access-log.ts).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebdavdBinding } from '../../config/types.js';
import type { Connection, RemoteInfo } from '../../core/types.js';
import { startAccessLog } from '../http/access-log.js';
import { realIp } from '../http/ip.js';
import { authenticate } from './auth.js';
import { applyCors } from './cors.js';
import { handleCopy, handleMove } from './methods/copymove.js';
import { handleDelete } from './methods/delete.js';
import { handleGet } from './methods/get.js';
import { handleLock, handleUnlock } from './methods/lock.js';
import { handleMkcol } from './methods/mkcol.js';
import { handlePropfind } from './methods/propfind.js';
import { handleProppatch } from './methods/proppatch.js';
import { handlePut } from './methods/put.js';
import { hasTrailingSlash, requestVirtualPath } from './paths.js';
import { ALLOW, sendError, sendStatus } from './respond.js';
import { DavError } from './status-map.js';
import type { DavDeps, DavRequest, MethodHandler } from './types.js';

const METHODS: Readonly<Record<string, MethodHandler>> = {
  GET: handleGet, HEAD: handleGet, POST: handleGet, PUT: handlePut, DELETE: handleDelete, MKCOL: handleMkcol,
  COPY: handleCopy, MOVE: handleMove, PROPFIND: handlePropfind, PROPPATCH: handleProppatch,
  LOCK: handleLock, UNLOCK: handleUnlock,
};

/** OPTIONS (RFC 4918 §10.1): class 1 and 2; MS-Author-Via makes Windows clients speak WebDAV. */
function sendOptions(res: ServerResponse): void {
  sendStatus(res, 200, '', { DAV: '1, 2', Allow: ALLOW, 'MS-Author-Via': 'DAV' });
}

/** The node:http request listener of one binding. */
export function createDavHandler(deps: DavDeps, binding: WebdavdBinding): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, binding, req, res).catch((err: unknown) => {
      // Last resort: the funnel itself failed (socket gone). Never let it reach the process.
      deps.logger.debug({ err }, 'request aborted');
      res.destroy();
    });
  };
}

function remoteOf(req: IncomingMessage, binding: WebdavdBinding): RemoteInfo {
  const s = req.socket;
  const ip = realIp(s.remoteAddress ?? '', req.headers, binding.proxy_allowed);
  return { ip, port: s.remotePort ?? 0, localIp: s.localAddress, localPort: s.localPort };
}

async function handle(deps: DavDeps, binding: WebdavdBinding, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const remote = remoteOf(req, binding);
  // As SFTPGo, the request id is the id of the connection the request gets (also when it gets none).
  const idHint = randomBytes(10).toString('hex');
  startAccessLog(deps.app.logger, req, res, { sender: 'webdavd', ip: remote.ip, requestId: `DAV_${idHint}` });
  const log = deps.logger.child({ client_ip: remote.ip, method: req.method });
  applyCors(deps.app.config.webdavd.cors, req, res);
  let release: () => void;
  try {
    release = await deps.app.core.gate.accept(remote.ip, 'DAV');
  } catch (err) {
    return sendError(res, err, log);
  }
  try {
    const path = requestVirtualPath(req.url ?? '/', binding.prefix);
    if (req.method === 'OPTIONS') return sendOptions(res);
    const method = METHODS[req.method ?? ''];
    if (!method) throw new DavError(405, `method ${req.method} is not supported`);
    const { user } = await authenticate(deps, req, binding.enable_https ? binding.client_auth_type : 0, remote);
    const conn = await deps.app.core.connections.open({
      protocol: 'DAV', user, remote, clientVersion: req.headers['user-agent'] ?? '', idHint,
      // Admin close or idle timeout: the running request ends with its socket.
      onClose: () => { if (!res.writableEnded) res.destroy(); },
      isBusy: () => true,
    });
    await run(method, { req, res, deps, binding, conn, path, trailingSlash: hasTrailingSlash(req.url ?? '/'), log: log.child({ connection_id: conn.id }) });
  } catch (err) {
    sendError(res, err, log);
  } finally {
    release();
  }
}

async function run(method: MethodHandler, r: DavRequest): Promise<void> {
  const conn: Connection = r.conn;
  const started = Date.now();
  conn.setCommand(`${r.req.method} ${r.path}`);
  try {
    await method(r);
  } catch (err) {
    sendError(r.res, err, r.log);
  } finally {
    await conn.close('request done');
    r.log.debug({ path: r.path, status: r.res.statusCode, elapsed_ms: Date.now() - started }, 'request served');
  }
}
