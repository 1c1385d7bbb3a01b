/**
 * The config layer portable mode puts on top of the usual ones (defaults < file < SFTPGO_* env <
 * this), as SFTPGo v2.1.2 does: memory provider, no HTTP server, no telemetry, one binding per
 * requested service, max_auth_tries 12, the SSH commands and TLS files of the flags, FTP banner
 * `SFTPGo portable <version> ready`. A service not requested is off even when the config file
 * enables it. Everything else (`common` settings such as idle timeout, hooks, defender) still
 * comes from the config file and env.
 *
 * Differs from SFTPGo: each binding keeps the listen address configured for the first binding of
 * its service (file or env, e.g. SFTPGO_SFTPD__BINDINGS__0__ADDRESS=127.0.0.1) instead of always
 * listening on every interface; the default config listens on every interface, as SFTPGo.
 */
import type { Config, DeepPartial } from '../../config/types.js';
import { expandSshCommands, type PortableFlags } from './options.js';

/** Resolved ports of the three services; 0 = off. */
export interface PortablePorts {
  sftp: number;
  ftp: number;
  webdav: number;
}

/** Listen address per service, from the first configured binding ("" = every interface). */
export interface PortableAddresses {
  sftp: string;
  ftp: string;
  webdav: string;
}

/** The first binding's address of each service in `config`. */
export function configuredAddresses(config: Config): PortableAddresses {
  return {
    sftp: config.sftpd.bindings[0]?.address ?? '',
    ftp: config.ftpd.bindings[0]?.address ?? '',
    webdav: config.webdavd.bindings[0]?.address ?? '',
  };
}

/** True when both halves of a TLS pair are given. */
const tlsPair = (cert: string, key: string) => !!(cert && key);

/** The portable overrides (`flags` paths already absolute, see `absolutePaths`). */
export function portableOverrides(flags: PortableFlags, ports: PortablePorts, addresses: PortableAddresses, version: string): DeepPartial<Config> {
  const ftpTls = tlsPair(flags.ftpdCert, flags.ftpdKey);
  const davTls = tlsPair(flags.webdavCert, flags.webdavKey);
  return {
    data_provider: { driver: 'memory', name: '', prefer_database_credentials: true },
    httpd: { bindings: [] },
    telemetry: { bind_port: 0 },
    sftpd: {
      bindings: ports.sftp ? [{ port: ports.sftp, address: addresses.sftp, apply_proxy_config: false }] : [],
      max_auth_tries: 12,
      enabled_ssh_commands: expandSshCommands(flags.sshCommands),
    },
    ftpd: {
      bindings: ports.ftp ? [{ port: ports.ftp, address: addresses.ftp, apply_proxy_config: false, tls_mode: 0 }] : [],
      banner: `SFTPGo portable ${version} ready`,
      certificate_file: ftpTls ? flags.ftpdCert : '',
      certificate_key_file: ftpTls ? flags.ftpdKey : '',
    },
    webdavd: {
      bindings: ports.webdav ? [{ port: ports.webdav, address: addresses.webdav, enable_https: davTls }] : [],
      certificate_file: davTls ? flags.webdavCert : '',
      certificate_key_file: davTls ? flags.webdavKey : '',
    },
  };
}
