/**
 * Shared plumbing of every hook: timeouts (§5, overridable for tests), the outgoing HTTP client and
 * the logger. A hook value starting with "http" is a URL, anything else an absolute program path.
 */
import type { Logger } from 'pino';
import type { HttpClient, HttpResponse } from '../httpclient/client.js';
import { describeProgramFailure, runProgram, type ProgramResult } from './exec.js';
import { failure } from '../../util/errors.js';

/** Per-hook timeouts in ms (INVENTORY §5). */
export interface HookTimeouts {
  startup: number;
  postConnect: number;
  action: number;
  userAction: number;
  externalAuth: number;
  preLogin: number;
  postLogin: number;
  checkPassword: number;
  keyboardInteractive: number;
}

export const DEFAULT_HOOK_TIMEOUTS: HookTimeouts = {
  startup: 60_000,
  postConnect: 20_000,
  action: 30_000,
  userAction: 15_000,
  externalAuth: 30_000,
  preLogin: 30_000,
  postLogin: 20_000,
  checkPassword: 30_000,
  keyboardInteractive: 60_000,
};

/** §5: auth hook responses are bounded to 1 MB. */
export const MAX_HOOK_RESPONSE = 1024 * 1024;

export interface HookDeps {
  http: HttpClient;
  logger: Logger;
  timeouts: HookTimeouts;
}

/** Runs a program hook and throws Failure unless it exits 0; returns its stdout. */
export async function runProgramOk(path: string, timeoutMs: number, env: Record<string, string>, args?: string[]): Promise<Buffer> {
  let r: ProgramResult;
  try {
    r = await runProgram(path, { env, args, timeoutMs, maxStdout: MAX_HOOK_RESPONSE });
  } catch (err) {
    throw failure(err instanceof Error ? err.message : String(err), err);
  }
  if (r.exitCode !== 0 || r.timedOut) throw failure(describeProgramFailure(path, r, timeoutMs));
  return r.stdout;
}

/** Adds query parameters to a hook URL (keeping the ones it already has). */
export function withQuery(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

/** POSTs JSON and returns the response; JSON content type always set. */
export function postJson(deps: HookDeps, url: string, body: unknown, timeoutMs: number, retryable: boolean): Promise<HttpResponse> {
  return deps.http.request({
    method: 'POST', url, body: JSON.stringify(body), retryable, timeoutMs,
    headers: { 'Content-Type': 'application/json' }, maxBodyBytes: MAX_HOOK_RESPONSE,
  });
}

/** Throws Failure unless the response status is `expected` (200 by default). */
export function expectStatus(res: HttpResponse, url: string, ...expected: number[]): void {
  const ok = expected.length ? expected : [200];
  if (!ok.includes(res.status)) throw failure(`hook ${url} returned HTTP status ${res.status}`);
}
