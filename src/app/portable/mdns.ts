/**
 * mDNS/DNS-SD advertising of portable mode (`--advertise-service`): `_sftp-ssh._tcp`, `_ftp._tcp`
 * and `_http._tcp` (WebDAV) in `local.`, instance `SFTPGo portable <port>`, TXT `version=<v>`
 * plus `user=`/`password=` with `--advertise-credentials` (password only when password auth is on).
 */
import { Bonjour } from 'bonjour-service';
import type { PortableInfo } from './run.js';

/** Publishes the records; the returned function unregisters them (called on SIGINT/SIGTERM). */
export function advertise(info: PortableInfo, version: string, withCredentials: boolean): () => Promise<void> {
  const bonjour = new Bonjour();
  const txt: Record<string, string> = { version };
  if (withCredentials) {
    txt.user = info.username;
    if (info.password) txt.password = info.password;
  }
  const services: [string, number][] = [['sftp-ssh', info.sftpPort], ['ftp', info.ftpPort], ['http', info.webdavPort]];
  for (const [type, port] of services) {
    if (port > 0) bonjour.publish({ name: `SFTPGo portable ${port}`, type, port, txt });
  }
  return () => new Promise<void>((resolve) => {
    bonjour.unpublishAll(() => {
      bonjour.destroy();
      resolve();
    });
  });
}
