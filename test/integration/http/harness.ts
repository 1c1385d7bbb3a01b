/**
 * Starts the HTTP API on 127.0.0.1:0 over the production context (KMS, the sql.js provider on a
 * temp file or the memory provider, the real DataService and core services), one per test file
 * (parallel-safe). The default admin `admin`/`password` is created as `serve` does; the local
 * storage backend is gated (test/helpers/gated-fs.ts) so tests can hold a scan or a download.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { AppContext } from '../../../src/app/context.js';
import { prepareProvider } from '../../../src/app/provider-init.js';
import { buildAppContext } from '../../../src/app/wiring.js';
import { buildConfig } from '../../../src/config/index.js';
import type { DeepPartial, Config } from '../../../src/config/types.js';
import { noopMetrics, type CoreServicesHandle, type Metrics } from '../../../src/core/index.js';
import type { Admin, AdminPermission, User } from '../../../src/dataprovider/models.js';
import type { DataService } from '../../../src/dataprovider/service-types.js';
import { createHttpServer, type HttpServer } from '../../../src/protocols/http/server.js';
import type { TokenManager } from '../../../src/protocols/http/tokens.js';
import { FsGate, gatedFsRegistry } from '../../helpers/gated-fs.js';

export interface HarnessOptions {
  /** Bind the configured ports instead of port 0. */
  ephemeral?: boolean;
  /** Data provider driver: sql.js file (default) or memory. */
  driver?: 'sqlite' | 'memory';
  tokens?: TokenManager;
  metrics?: Metrics;
}

export interface Harness {
  base: string;
  dir: string;
  app: AppContext;
  core: CoreServicesHandle;
  data: DataService;
  server: HttpServer;
  gate: FsGate;
  close(): Promise<void>;
  /** Basic auth header. */
  basic(user: string, pass: string): string;
  adminToken(user?: string, pass?: string): Promise<string>;
  userToken(user: string, pass: string): Promise<string>;
  /** A user with all permissions and a home under dir/users/<name> (created on disk). */
  addUser(u: Partial<User> & { username: string }): Promise<User>;
  addAdmin(username: string, permissions: AdminPermission[], extra?: Partial<Admin>): Promise<Admin>;
}

/** Test config: fast bcrypt, defender on, one plain HTTP binding, files under `dir`. */
export function harnessConfig(dir: string, overrides: DeepPartial<Config>, driver: 'sqlite' | 'memory'): Config {
  return buildConfig({
    ...overrides,
    common: { ...overrides.common, defender: { enabled: true, threshold: 15, ...overrides.common?.defender } },
    data_provider: {
      driver, name: driver === 'sqlite' ? join(dir, 'sftpgo.db') : '', create_default_admin: true,
      password_hashing: { bcrypt_options: { cost: 4 } }, ...overrides.data_provider,
    },
    httpd: {
      bindings: [{ address: '127.0.0.1', port: 8080, enable_web_admin: false, enable_web_client: false }],
      backups_path: join(dir, 'backups'), ...overrides.httpd,
    },
  } as DeepPartial<Config>);
}

async function fetchToken(url: string, header: string): Promise<string> {
  const r = await fetch(url, { headers: { authorization: header } });
  if (r.status !== 200) throw new Error(`token: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { access_token: string }).access_token;
}

export async function startHarness(overrides: DeepPartial<Config> = {}, opts: HarnessOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-http-'));
  const gate = new FsGate();
  const logger = pino({ level: process.env.SFTPGO_TEST_LOG === '1' ? 'debug' : 'silent' });
  const config = harnessConfig(dir, overrides, opts.driver ?? 'sqlite');
  const built = await buildAppContext({ config, configDir: dir, configFile: '' }, logger, opts.metrics ?? noopMetrics,
    { version: '2.1.2', commit: 'test', buildDate: '2026-01-01T00:00:00Z' }, { fsRegistry: gatedFsRegistry(gate) });
  const { ctx: app, core } = built;
  const cleanup = async () => {
    gate.releaseAll();
    await built.close();
    await rm(dir, { recursive: true, force: true });
  };
  await prepareProvider(app.provider, app.data, config, logger);
  const server = createHttpServer(app, { tokens: opts.tokens });
  await server.start({ ephemeral: opts.ephemeral ?? true }).catch(async (err: unknown) => {
    await cleanup();
    throw err;
  });
  const base = server.addresses()[0]!.url;
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
  return {
    base, dir, app, core, data: app.data, server, gate, basic,
    adminToken: (user = 'admin', pass = 'password') => fetchToken(`${base}/api/v2/token`, basic(user, pass)),
    userToken: (user, pass) => fetchToken(`${base}/api/v2/user/token`, basic(user, pass)),
    async addUser(u) {
      const home = u.home_dir ?? join(dir, 'users', u.username);
      await mkdir(home, { recursive: true });
      return app.data.addUser({ status: 1, password: 'pw', permissions: { '/': ['*'] }, ...u, home_dir: home } as User);
    },
    addAdmin: (username, permissions, extra = {}) => app.data.addAdmin({ username, password: 'pw', status: 1, permissions, ...extra }),
    async close() {
      await server.stop(100);
      await cleanup();
    },
  };
}
