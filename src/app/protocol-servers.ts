/**
 * The file-transfer protocol servers `serve` can start, one entry per protocol: a new protocol is
 * one entry here.
 */
import type { Config } from '../config/types.js';
import { createFtpServer } from '../protocols/ftp/server.js';
import type { AppContext } from './context.js';
import type { ManagedService } from './lifecycle.js';
import { createWebDavServer } from '../protocols/webdav/server.js';
import { createSftpServer } from '../protocols/sftp/server.js';

export interface ProtocolServerEntry {
  /** Name used in messages ("SFTP", "FTP", "WebDAV"). */
  name: string;
  /** True when the config asks for this server (a binding with a port). */
  enabled(config: Config): boolean;
  /** Builds the server (not started). */
  create(ctx: AppContext): ManagedService;
}

const hasPort = (bindings: readonly { port: number }[]) => bindings.some((b) => b.port > 0);

/** Every protocol server, in start order. */
export const PROTOCOL_SERVERS: readonly ProtocolServerEntry[] = [
  { name: 'SFTP', enabled: (c) => hasPort(c.sftpd.bindings), create: createSftpServer },
  { name: 'FTP', enabled: (c) => hasPort(c.ftpd.bindings), create: createFtpServer },
  { name: 'WebDAV', enabled: (c) => hasPort(c.webdavd.bindings), create: createWebDavServer },
];

/** The configured protocol servers of `ctx`, built but not started. */
export function createProtocolServers(ctx: AppContext): ManagedService[] {
  return PROTOCOL_SERVERS.filter((e) => e.enabled(ctx.config)).map((e) => e.create(ctx));
}
