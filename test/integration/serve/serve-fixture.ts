/**
 * Runs `runServe` in-process on the production wiring (logger aside: silent) with a fake SFTP
 * listener standing in for the protocol servers not built yet, a gated local backend, and signals
 * from an emitter. Records the start/stop events the tests check.
 */
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import type { AppContext } from '../../../src/app/context.js';
import type { ManagedService } from '../../../src/app/lifecycle.js';
import { runServe } from '../../../src/app/serve.js';
import { buildAppContext, defaultWiring } from '../../../src/app/wiring.js';
import type { ServeWiring } from '../../../src/app/wiring-types.js';
import { FsGate, gatedFsRegistry } from '../../helpers/gated-fs.js';

export function capture(): { stream: PassThrough; text: () => string } {
  const s = new PassThrough();
  let text = '';
  s.on('data', (d) => { text += d; });
  return { stream: s, text: () => text };
}

/** A file-protocol listener that only records what happens to it. */
function recordingSftp(events: string[], ctx: AppContext, onStop?: () => Promise<void>): ManagedService {
  return {
    name: 'SFTP',
    async start() {
      // Listeners start after the provider is ready: the default admin exists by now.
      events.push(`start SFTP (admins: ${await ctx.provider.admins.count()})`);
    },
    async stop(grace) {
      await onStop?.();
      events.push(`stop SFTP ${grace}`);
    },
    addresses: () => [{ address: '127.0.0.1', port: 2022 }],
    async reload() { events.push('reload SFTP'); },
  };
}

export interface ServeRun {
  dir: string;
  events: string[];
  stdout: () => string;
  stderr: () => string;
  signals: EventEmitter;
  gate: FsGate;
  done: Promise<number>;
  /** Resolves with the running services once every listener is up. */
  ready: Promise<ManagedService[]>;
  cleanup(): Promise<void>;
}

export interface ServeOptions {
  graceMs?: number;
  /** Replaces the fake SFTP (e.g. the real protocol registry). */
  protocolServers?: ServeWiring['protocolServers'];
  /** Runs when the fake SFTP is asked to stop (after the services started after it). */
  onSftpStop?: () => Promise<void>;
  ephemeral?: boolean;
}

/** Writes `config` as sftpgo.json in a temp config dir and runs serve on it. */
export async function startServe(config: unknown, opts: ServeOptions = {}): Promise<ServeRun> {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-serve-'));
  await writeFile(join(dir, 'sftpgo.json'), JSON.stringify(config));
  const events: string[] = [];
  const out = capture();
  const err = capture();
  const signals = new EventEmitter();
  const gate = new FsGate();
  let onReady: (s: ManagedService[]) => void = () => undefined;
  const ready = new Promise<ManagedService[]>((r) => { onReady = r; });
  const wiring: ServeWiring = {
    ...defaultWiring,
    createLogger: () => { events.push('logger'); return pino({ level: 'silent' }); },
    async createContext(loaded, logger, metrics, build) {
      events.push('context');
      const built = await buildAppContext(loaded, logger, metrics, build, { fsRegistry: gatedFsRegistry(gate) });
      return { ctx: built.ctx, close: async () => { events.push('close'); await built.close(); } };
    },
    protocolServers: opts.protocolServers ?? ((ctx) => [recordingSftp(events, ctx, opts.onSftpStop)]),
  };
  const done = runServe({
    stdout: out.stream, stderr: err.stream, env: {}, build: { version: '2.1.2', commit: 't', buildDate: '' }, signals,
    ephemeral: opts.ephemeral ?? true, graceMs: opts.graceMs ?? 100, wiring, onReady,
  }, { configDir: dir, configFile: 'sftpgo.json' });
  return {
    dir, events, signals, gate, done, ready, stdout: out.text, stderr: err.text,
    async cleanup() {
      gate.releaseAll();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The base config of these tests: sql.js provider, default admin, HTTP and telemetry on loopback. */
export const BASE = {
  data_provider: { create_default_admin: true, password_hashing: { bcrypt_options: { cost: 4 } } },
  httpd: { bindings: [{ address: '127.0.0.1', port: 8080, enable_web_admin: false, enable_web_client: false }] },
  telemetry: { bind_port: 10000, bind_address: '127.0.0.1' },
};

export function urlOf(services: ManagedService[], name: string): string {
  const s = services.find((x) => x.name === name);
  if (!s) throw new Error(`${name} is not running`);
  return (s.addresses()[0] as { url: string }).url;
}
