/**
 * Runtime view of the protocol server registry (src/app/protocol-servers.ts) for tests that need a
 * live SFTP, FTP or WebDAV server: a started server on 127.0.0.1 port 0 with its port.
 */
import type { AppContext } from '../../src/app/context.js';
import { formatAddress, type ManagedService } from '../../src/app/lifecycle.js';
import { PROTOCOL_SERVERS } from '../../src/app/protocol-servers.js';

export type ProtocolName = 'SFTP' | 'FTP' | 'WebDAV';

function entry(name: ProtocolName) {
  const e = PROTOCOL_SERVERS.find((p) => p.name === name);
  if (!e) throw new Error(`no ${name} entry in the protocol server registry`);
  return e;
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
