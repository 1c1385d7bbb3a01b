/**
 * What GET /api/v2/status reports about the file services: bindings from the config, `is_active`
 * from whether the service is running, SSH host keys as configured (fingerprints are reported by
 * the SFTP server when it exposes them).
 */
import type { Config } from '../config/types.js';
import type { ServicesStatusSource } from '../protocols/http/types.js';
import type { ManagedService } from './lifecycle.js';

interface HostKeyReporter { hostKeys?(): { path: string; fingerprint: string }[] }

export function servicesStatusFromConfig(config: Config, running: ManagedService[]): ServicesStatusSource {
  const active = (name: string) => running.some((s) => s.name.toUpperCase() === name && s.addresses().length > 0);
  const ssh = running.find((s) => s.name.toUpperCase() === 'SFTP') as (ManagedService & HostKeyReporter) | undefined;
  const sftp = config.sftpd.bindings.filter((b) => b.port > 0);
  const ftp = config.ftpd.bindings.filter((b) => b.port > 0);
  const dav = config.webdavd.bindings.filter((b) => b.port > 0);
  return {
    ssh: {
      is_active: active('SFTP'),
      bindings: sftp.length ? sftp.map((b) => ({ address: b.address, port: b.port, apply_proxy_config: b.apply_proxy_config })) : null,
      host_keys: ssh?.hostKeys?.() ?? (config.sftpd.host_keys.length ? config.sftpd.host_keys.map((path) => ({ path, fingerprint: '' })) : null),
      ssh_commands: [...config.sftpd.enabled_ssh_commands],
    },
    ftp: {
      is_active: active('FTP'),
      bindings: ftp.length ? ftp.map((b) => ({
        address: b.address, port: b.port, apply_proxy_config: b.apply_proxy_config, tls_mode: b.tls_mode,
        force_passive_ip: b.force_passive_ip, client_auth_type: b.client_auth_type,
      })) : null,
      passive_port_range: { ...config.ftpd.passive_port_range },
    },
    webdav: {
      is_active: active('WEBDAV') || active('DAV'),
      bindings: dav.length ? dav.map((b) => ({ address: b.address, port: b.port, enable_https: b.enable_https, client_auth_type: b.client_auth_type })) : null,
    },
  };
}
