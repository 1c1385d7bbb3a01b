/**
 * The file-transfer protocol servers `serve` can start, one entry per protocol. A protocol that
 * lands replaces its entry's `create` with its server factory; one that has not landed fails
 * start-up loudly ("not supported") when configured, instead of pretending to run.
 */
import type { Config } from '../config/types.js';
import { createFtpServer } from '../protocols/ftp/server.js';
import { notSupported } from '../util/errors.js';
import type { AppContext } from './context.js';
import type { ManagedService } from './lifecycle.js';
import { createWebDavServer } from '../protocols/webdav/server.js';

export interface ProtocolServerEntry {
  /** Name used in messages ("SFTP", "FTP", "WebDAV"). */
  name: string;
  /** True when the config asks for this server (a binding with a port). */
  enabled(config: Config): boolean;
  /** Builds the server (not started). */
  create(ctx: AppContext): ManagedService;
}

const hasPort = (bindings: readonly { port: number }[]) => bindings.some((b) => b.port > 0);

function notBuilt(name: string): (ctx: AppContext) => ManagedService {
  return () => {
    throw notSupported(`not supported: ${name} server not built yet`);
  };
}

/** Every protocol server, in start order. */
export const PROTOCOL_SERVERS: readonly ProtocolServerEntry[] = [
  { name: 'SFTP', enabled: (c) => hasPort(c.sftpd.bindings), create: notBuilt('SFTP') },
  { name: 'FTP', enabled: (c) => hasPort(c.ftpd.bindings), create: createFtpServer },
  { name: 'WebDAV', enabled: (c) => hasPort(c.webdavd.bindings), create: createWebDavServer },
];

/** The configured protocol servers of `ctx`, built but not started. */
export function createProtocolServers(ctx: AppContext): ManagedService[] {
  return PROTOCOL_SERVERS.filter((e) => e.enabled(ctx.config)).map((e) => e.create(ctx));
}
