/**
 * Starts our FTP server on 127.0.0.1 port 0 over a whole test context (real core, memory
 * provider, temp homes), one per test file or scenario; parallel-safe.
 */
import path from 'node:path';
import type { DeepPartial } from '../../../src/config/index.js';
import type { Config } from '../../../src/config/types.js';
import type { User } from '../../../src/dataprovider/models.js';
import { createFtpServer, type FtpServer, type FtpServerOptions } from '../../../src/protocols/ftp/server.js';
import { createTestContext, type TestContext, type TestUserInput } from '../../helpers/context.js';

export interface FtpFixture {
  ctx: TestContext;
  server: FtpServer;
  port: number;
  /** Ports of every binding, in order. */
  ports: number[];
  user: User;
  password: string;
  home: string;
  close(): Promise<void>;
}

export interface FtpFixtureOptions {
  /** Overrides merged over a plain binding on 127.0.0.1 with a wide random passive range. */
  config?: DeepPartial<Config>;
  user?: Partial<TestUserInput>;
  server?: FtpServerOptions;
}

export async function startFtp(opts: FtpFixtureOptions = {}): Promise<FtpFixture> {
  const base: DeepPartial<Config> = {
    ftpd: { bindings: [{ address: '127.0.0.1', port: 2121 }], passive_port_range: { start: 0, end: 0 } },
    common: { idle_timeout: 0 },
  };
  const ctx = await createTestContext({ config: merge(base, opts.config ?? {}) });
  const password = 'ftp-Secret-1';
  const user = await ctx.addUser({ username: 'alice', password, ...opts.user });
  const server = createFtpServer(ctx, opts.server);
  try {
    await server.start({ ephemeral: true });
  } catch (err) {
    await ctx.close();
    throw err;
  }
  const ports = server.addresses().map((a) => a.port);
  return {
    ctx, server, port: ports[0]!, ports, user, password, home: user.home_dir ?? path.join(ctx.dir, 'users', 'alice'),
    async close() {
      await server.stop(0);
      await ctx.close();
    },
  };
}

/** Deep merge of plain config trees (arrays replaced). */
export function merge<T>(a: T, b: DeepPartial<T>): T {
  if (typeof a !== 'object' || a === null || Array.isArray(a)) return (b ?? a) as T;
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b as Record<string, unknown>)) {
    const cur = out[k];
    out[k] = cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' && !Array.isArray(v) ? merge(cur, v as never) : v;
  }
  return out as T;
}
