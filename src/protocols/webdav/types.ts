/**
 * Shapes shared by the WebDAV server modules: what one server holds for all its bindings, and the
 * per-request context every method handler receives.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AppContext } from '../../app/context.js';
import type { WebdavdBinding } from '../../config/types.js';
import type { Connection } from '../../core/types.js';
import type { DeadProps } from './dead-props.js';
import type { LockManager } from './locks.js';
import type { MimeTypes } from './mime.js';
import type { UserCache } from './user-cache.js';

/** State of one WebDAV server, shared by its bindings. */
export interface DavDeps {
  app: AppContext;
  logger: Logger;
  locks: LockManager;
  props: DeadProps;
  mime: MimeTypes;
  users: UserCache;
}

/** One authenticated request on its own core connection (SFTPGo: one connection per request). */
export interface DavRequest {
  req: IncomingMessage;
  res: ServerResponse;
  deps: DavDeps;
  binding: WebdavdBinding;
  conn: Connection;
  /** Clean virtual path named by the request URL. */
  path: string;
  /** The URL ended with "/". */
  trailingSlash: boolean;
  log: Logger;
}

/** A method handler: it writes the whole response, or throws for the error funnel. */
export type MethodHandler = (r: DavRequest) => Promise<void>;
