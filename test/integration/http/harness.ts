/**
 * Starts the HTTP API on 127.0.0.1:0 with an in-memory fake data layer and core, one per test
 * file (parallel-safe), with an admin `admin`/`password` and a temp home dir.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { AppContext } from '../../../src/app/context.js';
import { buildConfig } from '../../../src/config/index.js';
import type { DeepPartial, Config } from '../../../src/config/types.js';
import { createHttpServer, type HttpServer } from '../../../src/protocols/http/server.js';
import { FakeData, fakeProvider } from './fake-data.js';
import { fakeCore, type FakeCore } from './fake-core.js';

export interface Harness {
  base: string;
  dir: string;
  data: FakeData;
  core: FakeCore;
  app: AppContext;
  server: HttpServer;
  close(): Promise<void>;
  /** Basic auth header. */
  basic(user: string, pass: string): string;
  adminToken(user?: string, pass?: string): Promise<string>;
}

export async function startHarness(overrides: DeepPartial<Config> = {}, opts: { ephemeral?: boolean } = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-http-'));
  const data = new FakeData();
  const core = fakeCore(data);
  const config = buildConfig({
    ...overrides,
    httpd: { bindings: [{ address: '127.0.0.1', port: 8080, enable_web_admin: false, enable_web_client: false }], backups_path: join(dir, 'backups'), ...(overrides.httpd ?? {}) },
  } as DeepPartial<Config>);
  const app: AppContext = {
    config, configDir: dir, logger: pino({ level: 'silent' }), build: { version: '2.1.2', commit: 'test', buildDate: '2026-01-01T00:00:00Z' },
    provider: fakeProvider(data), data, core,
  };
  await data.addAdmin({ username: 'admin', password: 'password', status: 1, permissions: ['*'] });
  const server = createHttpServer(app);
  await server.start({ ephemeral: opts.ephemeral ?? true }).catch(async (err: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw err;
  });
  const base = server.addresses()[0]!.url;
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
  return {
    base, dir, data, core, app, server, basic,
    async adminToken(user = 'admin', pass = 'password') {
      const r = await fetch(`${base}/api/v2/token`, { headers: { authorization: basic(user, pass) } });
      if (r.status !== 200) throw new Error(`token: ${r.status} ${await r.text()}`);
      return ((await r.json()) as { access_token: string }).access_token;
    },
    async close() {
      await server.stop(100);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
