/**
 * Calls operations of the spec by operationId through Prism (proxy mode) and records, per call:
 * the status (checked against the expected one), Prism's response violations, strict field-name
 * problems (spec.ts), secrets leaking into the body, and error bodies that are not a useful
 * ApiResponse. The walk test asserts every operation and every reachable status was exercised.
 */
import assert from 'node:assert/strict';
import { responseViolations, type Prism, type Violation } from './prism.js';
import type { Spec, StrictResponses } from './spec.js';

export interface CallOpts {
  token?: string;
  basic?: [string, string];
  /** JSON-encoded body. */
  body?: unknown;
  /**
   * Body sent as is, straight to the server: Prism cannot forward a body that is not JSON, so
   * such calls get the strict, secret and error-body checks only.
   */
  raw?: string;
  headers?: Record<string, string>;
}

export interface Problem { call: string; status: number; kind: string; detail: unknown }

/**
 * The one defect of the spec itself: dumpdata's 200 is `oneOf [ApiResponse, BackupData]`, but both
 * schemas have only optional properties and no additionalProperties limit, so every object matches
 * both and no response can satisfy `oneOf` (SFTPGo's own answers fail it too). Prism's verdict on
 * exactly that is ignored; the strict check (closed objects) still validates those bodies.
 */
function isKnownSpecDefect(operationId: string, status: number, v: Violation): boolean {
  return operationId === 'dumpdata' && status === 200 && v.code === 'oneOf' && v.location.join('.') === 'response.body';
}

const SECRET_STATUSES = new Set(['Plain', 'AES-256-GCM', 'Secretbox', 'GCP', 'AWS', 'VaultTransit', 'Redacted']);

/** Paths inside `body` where a password or a secret's material would leave the server. */
export function leakedSecrets(body: unknown, path = ''): string[] {
  if (Array.isArray(body)) return body.flatMap((v, i) => leakedSecrets(v, `${path}[${i}]`));
  if (!body || typeof body !== 'object') return [];
  const o = body as Record<string, unknown>;
  const out: string[] = [];
  if (typeof o.password === 'string' && o.password !== '') out.push(`${path}.password`);
  if (typeof o.status === 'string' && SECRET_STATUSES.has(o.status)) {
    if (o.status !== 'Redacted') out.push(`${path}.status=${o.status}`);
    for (const k of ['payload', 'key', 'additional_data']) if (typeof o[k] === 'string' && o[k] !== '') out.push(`${path}.${k}`);
  }
  for (const [k, v] of Object.entries(o)) if (v && typeof v === 'object') out.push(...leakedSecrets(v, `${path}.${k}`));
  return out;
}

export class Walker {
  /** operationId -> statuses answered. */
  readonly seen = new Map<string, Set<number>>();
  readonly problems: Problem[] = [];

  constructor(
    private readonly spec: Spec,
    private readonly strict: StrictResponses,
    private readonly targets: { api: Prism; root: Prism; direct: string },
  ) {}

  async call(operationId: string, url: string, status: number, opts: CallOpts = {}): Promise<Response> {
    const op = this.spec.byId.get(operationId);
    assert.ok(op, `unknown operationId ${operationId}`);
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.basic) headers.authorization = `Basic ${Buffer.from(opts.basic.join(':')).toString('base64')}`;
    const body = opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
    if (body !== undefined) headers['content-type'] = 'application/json';
    // /healthz is served at the root (its own `servers` entry), every other path under /api/v2.
    const base = opts.raw !== undefined ? this.targets.direct : operationId === 'healthz' ? this.targets.root.base : this.targets.api.base;
    const res = await fetch(`${base}${url}`, { method: op.method, headers, body });
    const label = `${op.method} ${url}`;
    assert.equal(res.status, status, `${label}: ${res.status} ${res.status !== status ? await res.clone().text() : ''}`);
    let set = this.seen.get(operationId);
    if (!set) this.seen.set(operationId, (set = new Set()));
    set.add(res.status);
    await this.inspect(operationId, label, res.clone());
    return res;
  }

  private async inspect(operationId: string, label: string, res: Response): Promise<void> {
    const push = (kind: string, detail: unknown) => this.problems.push({ call: label, status: res.status, kind, detail });
    for (const v of responseViolations(res)) if (!isKnownSpecDefect(operationId, res.status, v)) push('prism', v);
    if (!(res.headers.get('content-type') ?? '').includes('application/json')) {
      if (res.status >= 400) push('error body not JSON', res.headers.get('content-type'));
      return;
    }
    const body = (await res.json()) as unknown;
    for (const p of this.strict.check(operationId, res.status, body)) push('field', p);
    if (operationId !== 'dumpdata') for (const p of leakedSecrets(body)) push('secret', p);
    if (res.status >= 400) {
      const e = body as { error?: unknown; message?: unknown };
      if (typeof e.error !== 'string' || e.error === '' || typeof e.message !== 'string') push('error body', body);
    }
  }
}
