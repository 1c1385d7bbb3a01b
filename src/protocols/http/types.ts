/**
 * Types shared by the HTTP API modules: per-request state and the dependencies routes receive.
 */
import type { ParameterizedContext } from 'koa';
import type { RouterContext } from '@koa/router';
import type { Logger } from 'pino';
import type { AppContext } from '../../app/context.js';
import type { Admin, AdminPermission, User } from '../../dataprovider/models.js';
import type { TokenManager } from './tokens.js';
import type { SchemaValidator } from './validate.js';

/** Audience of a token (INVENTORY §8.2): REST API admin/user, or a web UI login cookie. */
export type TokenAudience = 'API' | 'APIUser' | 'WebAdmin' | 'WebClient';

/** Claims of a verified token. */
export interface TokenClaims {
  username: string;
  permissions: string[];
  /** Signature of the account at issue time (password hash based). */
  sub: string;
  jti: string;
  exp: number;
  aud: TokenAudience;
  /** The raw token (for logout/revocation). */
  token: string;
}

/** Per-request state set by the middleware chain. */
export interface ApiState {
  log: Logger;
  requestId: string;
  /** Client IP after trusted proxy headers. */
  ip: string;
  claims?: TokenClaims;
  /** The user of a user-API or web client request, loaded and checked per request. */
  user?: User;
  /** The admin of a web admin request, loaded and checked per request. */
  admin?: Admin;
  /** CSRF token issued for the page being rendered (web UIs). */
  csrfToken?: string;
}

export type ApiContext = ParameterizedContext<ApiState, RouterContext<ApiState>>;

/** What the services status endpoint reports about protocol listeners (filled by `app`). */
export interface ServicesStatusSource {
  ssh?: { is_active: boolean; bindings: unknown[] | null; host_keys: { path: string; fingerprint: string }[] | null; ssh_commands: string[] };
  ftp?: { is_active: boolean; bindings: unknown[] | null; passive_port_range: { start: number; end: number } };
  webdav?: { is_active: boolean; bindings: unknown[] | null };
}

/** Dependencies every route module receives. */
export interface ApiDeps {
  app: AppContext;
  tokens: TokenManager;
  schemas: SchemaValidator;
  /** Absolute backups dir. */
  backupsPath: string;
  servicesStatus: () => ServicesStatusSource;
}

export type { AdminPermission };
