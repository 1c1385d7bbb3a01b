/**
 * A WebDAV server on 127.0.0.1 (port 0) over a real core with the memory provider, plus helpers
 * to reach it. `startDav` takes config overrides and users; everything lives under a temp dir.
 */
import { spawn } from 'node:child_process';
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
}

export async function startDav(opts: DavHarnessOptions = {}): Promise<DavHarness> {
  const binding = opts.binding ?? { port: 1, address: '127.0.0.1', prefix: opts.prefix ?? '', enable_https: opts.https ?? false };
  const config: DeepPartial<Config> = {
    ...opts.config,
    common: { idle_timeout: 0, ...opts.config?.common },
    webdavd: { ...opts.config?.webdavd, bindings: [binding as Config['webdavd']['bindings'][number]] },
  };
  const ctx = await createTestContext({ config });
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
    child.stdin.end(opts.input ?? '');
  });
}
