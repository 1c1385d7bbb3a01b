/**
 * A core (connection registry, quota-only provider) for a user whose home lives on a given
 * backend, with backend secrets sealed by a real local KMS and opened by the registry, as `serve`
 * wires it. Shared by the crypt and SFTP home tests.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { defaultConfig } from '../../../src/config/defaults.js';
import type { Config } from '../../../src/config/types.js';
import type { FilesystemConfig, Secret, User } from '../../../src/dataprovider/models.js';
import { ConnectionRegistryImpl } from '../../../src/core/connections.js';
import type { Connection } from '../../../src/core/types.js';
import { noopMetrics } from '../../../src/core/types.js';
import { Kms } from '../../../src/kms/index.js';
import { createFsRegistry, type FsRegistry } from '../../../src/vfs/registry.js';
import { fakeProvider, RecordingHooks } from './fixture.js';

export interface BackendEnv {
  base: string;
  home: string;
  kms: Kms;
  provider: ReturnType<typeof fakeProvider>;
  fsRegistry: FsRegistry;
  user: User;
  conn: Connection;
  cleanup(): Promise<void>;
}

export interface BackendEnvOptions {
  /** The home's filesystem, given the temp base dir and a function sealing secrets for the user. */
  filesystem(base: string, seal: (plain: string) => Secret): FilesystemConfig;
  user?: Partial<User>;
  common?: Partial<Config['common']>;
}

/** Builds the env and opens one connection for `alice`. */
export async function makeBackendEnv(opts: BackendEnvOptions): Promise<BackendEnv> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-backend-'));
  const home = path.join(base, 'home');
  const kms = new Kms();
  const seal = (plain: string) => kms.encrypt({ status: 'Plain', payload: plain }, 'alice');
  const def = defaultConfig();
  const config: Config = { ...def, common: { ...def.common, idle_timeout: 0, ...opts.common }, data_provider: { ...def.data_provider, track_quota: 1 } };
  const provider = fakeProvider();
  const fsRegistry = createFsRegistry({ openSecret: (s) => kms.decrypt(s) });
  const registry = new ConnectionRegistryImpl({
    config, logger: pino({ level: 'silent' }), provider, fsRegistry, metrics: noopMetrics, hooks: new RecordingHooks(),
  });
  const user: User = {
    username: 'alice', status: 1, home_dir: home, permissions: { '/': ['*'] }, filesystem: opts.filesystem(base, seal), ...opts.user,
  };
  const fs = await fsRegistry.create(user.filesystem!.provider, { root: home, config: backendBlock(user.filesystem!) });
  await fs.ensureRoot();
  await fs.close();
  const conn = await registry.open({ protocol: 'SFTP', user, remote: { ip: '127.0.0.1', port: 1234 } });
  return {
    base, home, kms, provider, fsRegistry, user, conn,
    async cleanup() {
      await registry.shutdown(0);
      await rm(base, { recursive: true, force: true });
    },
  };
}

function backendBlock(f: FilesystemConfig): unknown {
  return f.provider === 4 ? f.cryptconfig : f.provider === 5 ? f.sftpconfig : undefined;
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Deterministic test data. */
export function pattern(size: number, seed = 1): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 167 + seed * 13) & 0xff;
  return b;
}

/** Uploads through the connection in `chunk`-byte writes. */
export async function uploadAll(c: Connection, p: string, data: Buffer, chunk = 32 * 1024): Promise<void> {
  const t = await c.openUpload(p, { mode: 'truncate' });
  try {
    for (let off = 0; off < data.length; off += chunk) await t.write(data.subarray(off, off + chunk), off);
  } catch (err) {
    await t.abort(err);
    throw err;
  }
  await t.close();
}

/** Downloads from `offset` to the end through the transfer's stream. */
export async function downloadAll(c: Connection, p: string, offset = 0): Promise<Buffer> {
  const t = await c.openDownload(p, { offset });
  const chunks: Buffer[] = [];
  for await (const chunk of t.stream() as AsyncIterable<Buffer>) chunks.push(chunk);
  await t.close();
  return Buffer.concat(chunks);
}
