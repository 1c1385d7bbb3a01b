/**
 * A small browser stand-in for the web UI tests over fetch: a cookie jar honouring Path and
 * Max-Age=0, manual redirects, and form posts that first load a page for its CSRF token.
 */
import type { DeepPartial, Config } from '../../../src/config/types.js';
import { startHarness, type Harness, type HarnessOptions } from './harness.js';

/** The harness with both web UIs on its binding. */
export function startWebHarness(overrides: DeepPartial<Config> = {}, opts: HarnessOptions = {}): Promise<Harness> {
  const binding = { address: '127.0.0.1', port: 8080, enable_web_admin: true, enable_web_client: true, ...overrides.httpd?.bindings?.[0] };
  return startHarness({ ...overrides, httpd: { ...overrides.httpd, bindings: [binding] } }, opts);
}

interface StoredCookie { name: string; value: string; path: string; attrs: string }

export interface PageResult {
  status: number;
  text: string;
  location: string | null;
  headers: Headers;
}

export class WebSession {
  readonly cookies: StoredCookie[] = [];
  constructor(readonly base: string) {}

  private cookieHeader(path: string): string {
    return this.cookies.filter((c) => path === c.path || path.startsWith(`${c.path}/`)).map((c) => `${c.name}=${c.value}`).join('; ');
  }

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
      const [name = '', value = ''] = pair.split(/=(.*)/s);
      const path = /^Path=(.*)$/i.exec(attrs.find((a) => /^Path=/i.test(a)) ?? '')?.[1] ?? '/';
      const idx = this.cookies.findIndex((c) => c.name === name && c.path === path);
      if (idx >= 0) this.cookies.splice(idx, 1);
      if (!attrs.some((a) => /^Max-Age=0$/i.test(a))) this.cookies.push({ name, value, path, attrs: attrs.join('; ') });
    }
  }

  /** The login cookie stored for a path prefix. */
  jwt(path: string): StoredCookie | undefined {
    return this.cookies.find((c) => c.name === 'jwt' && c.path === path);
  }

  async request(path: string, init: RequestInit = {}): Promise<PageResult> {
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(path.split('?')[0]!);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(`${this.base}${path}`, { ...init, headers, redirect: 'manual' });
    this.store(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), headers: res.headers };
  }

  get(path: string): Promise<PageResult> {
    return this.request(path);
  }

  /** The CSRF token of a page (form field or meta). */
  async csrfOf(path: string): Promise<string> {
    const page = await this.get(path);
    const m = /name="_form_token" value="([^"]+)"/.exec(page.text) ?? /<meta name="csrf-token" content="([^"]+)"/.exec(page.text);
    if (!m?.[1]) throw new Error(`no CSRF token on ${path} (status ${page.status})`);
    return m[1];
  }

  /** Posts a urlencoded form; the token comes from `tokenFrom` (default: the same path) unless given. */
  async post(path: string, fields: [string, string][] | Record<string, string>, opts: { tokenFrom?: string; token?: string | null } = {}): Promise<PageResult> {
    const body = new URLSearchParams(fields);
    const token = opts.token === null ? undefined : opts.token ?? (await this.csrfOf(opts.tokenFrom ?? path));
    if (token) body.set('_form_token', token);
    return this.request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** An AJAX call as our script makes it (X-CSRF-TOKEN from `tokenFrom`'s meta tag). */
  async ajax(method: 'DELETE' | 'POST', path: string, tokenFrom: string | null): Promise<PageResult> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (tokenFrom) headers['x-csrf-token'] = await this.csrfOf(tokenFrom);
    return this.request(path, { method, headers });
  }

  async loginAdmin(username = 'admin', password = 'password'): Promise<PageResult> {
    return this.post('/web/admin/login', { username, password });
  }

  async loginClient(username: string, password: string): Promise<PageResult> {
    return this.post('/web/client/login', { username, password });
  }
}
