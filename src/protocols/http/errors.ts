/**
 * The API's one error funnel: every SftpGoError kind maps to one HTTP status here, and every error
 * leaves the server as an ApiResponse `{error, message}` (openapi.yaml components/schemas/ApiResponse).
 */
import { STATUS_CODES } from 'node:http';
import type { Middleware } from 'koa';
import { ErrorKind, SftpGoError, errorKindOf } from '../../util/errors.js';

/** HTTP status per error kind (INVENTORY §3.6: validation 400, not found 404, method disabled 403, other 500). */
export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  [ErrorKind.NotFound]: 404,
  [ErrorKind.Exists]: 409,
  [ErrorKind.NotEmpty]: 400,
  [ErrorKind.PermissionDenied]: 403,
  [ErrorKind.QuotaExceeded]: 403,
  [ErrorKind.NotSupported]: 403,
  [ErrorKind.InvalidInput]: 400,
  [ErrorKind.Conflict]: 409,
  [ErrorKind.Aborted]: 500,
  [ErrorKind.Failure]: 500,
  [ErrorKind.AuthFailed]: 401,
  [ErrorKind.Unavailable]: 503,
};

/** An error raised by the HTTP layer itself with an explicit status (413, 416, 429...). */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The ApiResponse body of an error. */
export interface ApiResponse {
  error?: string;
  message?: string;
}

/** Status and body for any thrown value; internals of unexpected errors are not leaked. */
export function toApiError(err: unknown): { status: number; body: ApiResponse } {
  if (err instanceof HttpError) return { status: err.status, body: { error: err.message, message: statusText(err.status) } };
  const kind = errorKindOf(err);
  const status = STATUS_BY_KIND[kind];
  const text = err instanceof SftpGoError ? err.message : kind === ErrorKind.Failure ? 'internal server error' : kind;
  return { status, body: { error: text, message: statusText(status) } };
}

export function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** Koa middleware turning thrown errors into ApiResponse bodies; logs server errors. */
export function errorFunnel(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const { status, body } = toApiError(err);
      if (status >= 500) ctx.state.log?.error({ err }, 'request failed');
      ctx.status = status;
      ctx.body = body;
    }
  };
}
