/**
 * Outgoing HTTP client for hooks (INVENTORY §2.8): per-attempt timeout, optional retries with
 * exponential backoff between retry_wait_min and retry_wait_max, extra CAs, client certificates,
 * skip_tls_verify and headers added by URL prefix. Built on node:http/https; an instance per context.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { rootCertificates } from 'node:tls';
import type { HttpClientConfig } from '../../config/types.js';
import { resolvePath } from '../../config/index.js';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Retry connection errors and 5xx/429 per config (§5 "retryable" hooks). */
  retryable?: boolean;
  /** Per-attempt timeout in ms; defaults to the config `timeout`. */
  timeoutMs?: number;
  /** Response body bigger than this fails the request. */
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  body: Buffer;
}

/** What the hook runner needs: one call. */
export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

export class NodeHttpClient implements HttpClient {
  private readonly agent: https.Agent;
  private readonly httpAgent = new http.Agent({ keepAlive: true });

  constructor(private readonly cfg: HttpClientConfig, configDir: string) {
    const ca = cfg.ca_certificates.length
      ? [...rootCertificates, ...cfg.ca_certificates.map((f) => readFileSync(resolvePath(configDir, f), 'utf8'))]
      : undefined;
    const first = cfg.certificates[0];
    this.agent = new https.Agent({
      keepAlive: true,
      ca,
      rejectUnauthorized: !cfg.skip_tls_verify,
      cert: first ? readFileSync(resolvePath(configDir, first.cert)) : undefined,
      key: first ? readFileSync(resolvePath(configDir, first.key)) : undefined,
    });
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const attempts = req.retryable ? this.cfg.retry_max + 1 : 1;
    let lastErr: unknown;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await sleep(this.backoff(i));
      try {
        const res = await this.once(req);
        if (!req.retryable || !isRetryableStatus(res.status) || i === attempts - 1) return res;
        lastErr = new Error(`HTTP status ${res.status}`);
      } catch (err) {
        lastErr = err;
      }
    }
    throw lastErr;
  }

  /** min * 2^attempt, capped at max (seconds in config). */
  private backoff(attempt: number): number {
    const min = this.cfg.retry_wait_min * 1000;
    const max = this.cfg.retry_wait_max * 1000;
    return Math.min(max, min * 2 ** (attempt - 1));
  }

  private headersFor(url: string, extra?: Record<string, string>): Record<string, string> {
    const h: Record<string, string> = {};
    for (const { key, value, url: prefix } of this.cfg.headers) {
      if (!prefix || url.startsWith(prefix)) h[key] = value;
    }
    return { ...h, ...extra };
  }

  private once(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    const isHttps = url.protocol === 'https:';
    const timeout = req.timeoutMs ?? this.cfg.timeout * 1000;
    const headers = this.headersFor(req.url, req.headers);
    if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
    return new Promise((resolve, reject) => {
      const r = (isHttps ? https : http).request(url, {
        method: req.method, headers, agent: isHttps ? this.agent : this.httpAgent,
      }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (req.maxBodyBytes !== undefined && size > req.maxBodyBytes) {
            clearTimeout(timer);
            reject(new Error(`response body exceeds ${req.maxBodyBytes} bytes`));
            res.destroy();
            r.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => { clearTimeout(timer); resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }); });
        res.on('error', (err) => { clearTimeout(timer); reject(err); });
      });
      const timer = setTimeout(() => r.destroy(new Error(`HTTP request timed out after ${timeout} ms`)), timeout);
      r.on('error', (err) => { clearTimeout(timer); reject(err); });
      r.end(req.body);
    });
  }

  close(): void {
    this.agent.destroy();
    this.httpAgent.destroy();
  }
}

/** Statuses retried by retryable calls (as hashicorp/go-retryablehttp: 429 and 5xx but 501). */
function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}
