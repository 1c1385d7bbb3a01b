/**
 * A WebDAV server on 127.0.0.1 (port 0) over a real core with the memory provider, plus helpers
 * to reach it. `startDav` takes config overrides and users; everything lives under a temp dir.
 */
import { spawn } from 'node:child_process';
import type { Metrics } from '../../../src/core/types.js';
import type { DeepPartial } from '../../../src/config/index.js';
import type { Config } from '../../../src/config/types.js';
import { createWebDavServer, type WebDavServer } from '../../../src/protocols/webdav/server.js';
import { createTestContext, type TestContext, type TestUserInput } from '../../helpers/context.js';

export interface DavHarness {
  ctx: TestContext;
  server: WebDavServer;
  /** Base URL, prefix included, ending with "/". */
  url: string;
  /** Absolute URL of a path below the base. */
  at(path: string): string;
  close(): Promise<void>;
}

export interface DavHarnessOptions {
  config?: DeepPartial<Config>;
  users?: TestUserInput[];
  prefix?: string;
  https?: boolean;
  /** Replaces the default binding (then `prefix`/`https` are ignored). */
  binding?: DeepPartial<Config['webdavd']['bindings'][number]>;
  metrics?: Metrics;
}

export async function startDav(opts: DavHarnessOptions = {}): Promise<DavHarness> {
  const binding = opts.binding ?? { port: 1, address: '127.0.0.1', prefix: opts.prefix ?? '', enable_https: opts.https ?? false };
  const config: DeepPartial<Config> = {
    ...opts.config,
    common: { idle_timeout: 0, ...opts.config?.common },
    webdavd: { ...opts.config?.webdavd, bindings: [binding as Config['webdavd']['bindings'][number]] },
  };
  const ctx = await createTestContext({ config, metrics: opts.metrics });
  for (const u of opts.users ?? [{ username: 'alice', password: 'secret' }]) await ctx.addUser(u);
  const server = createWebDavServer(ctx);
  await server.start({ ephemeral: true });
  const base = `${server.addresses()[0]!.url}${(binding.prefix ?? '').replace(/\/$/, '')}/`;
  return {
    ctx, server, url: base,
    at: (p) => base + p.replace(/^\//, ''),
    async close() {
      await server.stop(0);
      await ctx.close();
    },
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CurlResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One curl request: headers (`-D -`) and body split into the final status, headers (lower-cased names) and text
 * body. Interim 1xx blocks are skipped.
 */
export async function curl(args: string[]): Promise<CurlResult> {
  const r = await run('curl', ['-sS', '-D', '-', '--max-time', '60', ...args]);
  if (r.code !== 0 && !r.stdout) throw new Error(`curl failed (${r.code}): ${r.stderr}`);
  let rest = r.stdout;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    const head = end >= 0 ? rest.slice(0, end) : rest;
    rest = end >= 0 ? rest.slice(end + 4) : '';
    const lines = head.split('\r\n');
    const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(lines[0] ?? '')?.[1]);
    if (status >= 100 && status < 200) continue;
    const headers: Record<string, string> = {};
    for (const l of lines.slice(1)) {
      const i = l.indexOf(':');
      if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
    }
    return { status, headers, body: rest };
  }
}

/** Runs a client binary to completion (stdin optional); never throws on a non-zero exit. */
export function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // A client that exits without reading its input (EPIPE) is judged by its exit code and output.
    child.stdin!.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}
