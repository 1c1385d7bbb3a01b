/**
 * Runtime view of the protocol server registry (src/app/protocol-servers.ts) for tests that need a
 * live SFTP, FTP or WebDAV server: whether a protocol's entry is built yet (asked, not hard-coded:
 * a `notBuilt` entry throws "not built yet" when asked to create its server) and, when it is, a
 * started server on 127.0.0.1 port 0 with its port.
 */
import { pino } from 'pino';
import type { AppContext } from '../../src/app/context.js';
import { formatAddress, type ManagedService } from '../../src/app/lifecycle.js';
import { PROTOCOL_SERVERS } from '../../src/app/protocol-servers.js';
import { buildConfig } from '../../src/config/index.js';

export type ProtocolName = 'SFTP' | 'FTP' | 'WebDAV';

function entry(name: ProtocolName) {
  const e = PROTOCOL_SERVERS.find((p) => p.name === name);
  if (!e) throw new Error(`no ${name} entry in the protocol server registry`);
  return e;
}

/** False while the registry entry of `name` is still `notBuilt(...)`. */
export function protocolBuilt(name: ProtocolName): boolean {
  const probe = { config: buildConfig({}), configDir: '/nonexistent', logger: pino({ level: 'silent' }) } as unknown as AppContext;
  try {
    entry(name).create(probe);
    return true;
  } catch (err) {
    return !/not built yet/.test((err as Error).message);
  }
}

/** The reason a test needing `name` is skipped, as the lead asked for it. */
export function notBuiltReason(name: ProtocolName): string {
  return `${name === 'WebDAV' ? 'WebDAV' : name} server not built yet`;
}

export interface StartedProtocol {
  server: ManagedService;
  port: number;
  stop(): Promise<void>;
}

/** Creates and starts the protocol server of `ctx` (its config must enable a binding) on port 0. */
export async function startProtocol(name: ProtocolName, ctx: AppContext): Promise<StartedProtocol> {
  const server = entry(name).create(ctx);
  await server.start({ ephemeral: true });
  const addr = formatAddress(server.addresses()[0]);
  const port = Number(/:(\d+)\/?$/.exec(addr)?.[1]);
  if (!port) throw new Error(`${name}: cannot read the port of ${addr}`);
  return { server, port, stop: () => server.stop(1000) };
}
