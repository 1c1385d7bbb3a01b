/**
 * mDNS/DNS-SD advertising of portable mode (`--advertise-service`), as SFTPGo v2.1.2 does it:
 * `_sftp-ssh._tcp`, `_ftp._tcp` and `_http._tcp` (WebDAV) in `local.`, instance
 * `SFTPGo portable <port>`, TXT `version=<v>`, plus `user=` and `password=` with
 * `--advertise-credentials` (password only when there is one: a private key cannot be advertised).
 * A failure to advertise is a warning on the console, never a crash of the file server.
 */
import type { Writable } from 'node:stream';
import { Bonjour, type ServiceConfig } from 'bonjour-service';

/** What gets advertised. */
export interface AdvertisedServices {
  version: string;
  username: string;
  /** Empty when the user has public keys only. */
  password: string;
  sftpPort: number;
  ftpPort: number;
  webdavPort: number;
}

/** The part of bonjour-service used here (tests pass a recorder). */
export interface MdnsPublisher {
  publish(config: ServiceConfig): unknown;
  unpublishAll(callback: () => void): void;
  destroy(): void;
}

/** Builds a publisher; `onError` receives socket errors instead of an uncaught exception. */
export type MdnsFactory = (onError: (err: Error) => void) => MdnsPublisher;

/** The real one: bonjour-service, whose default error handler throws from an event callback. */
export const bonjourFactory: MdnsFactory = (onError) => {
  const bonjour = new Bonjour({}, onError);
  // The multicast socket's own 'error' event (EADDRINUSE, EACCES) is not routed to onError:
  // without a listener it would end the process. bonjour-service keeps it at server.mdns.
  const mdns = (bonjour as unknown as { server?: { mdns?: NodeJS.EventEmitter } }).server?.mdns;
  mdns?.on?.('error', onError);
  return bonjour;
};

/** The DNS-SD services to publish, one per enabled file service. */
export function serviceConfigs(s: AdvertisedServices, withCredentials: boolean): ServiceConfig[] {
  const txt: Record<string, string> = { version: s.version };
  if (withCredentials) {
    txt.user = s.username;
    if (s.password) txt.password = s.password;
  }
  const services: [string, number][] = [['sftp-ssh', s.sftpPort], ['ftp', s.ftpPort], ['http', s.webdavPort]];
  return services.filter(([, port]) => port > 0)
    .map(([type, port]) => ({ name: `SFTPGo portable ${port}`, type, protocol: 'tcp', port, txt }));
}

const UNPUBLISH_TIMEOUT_MS = 1000;
const LABEL: Record<string, string> = { 'sftp-ssh': 'SFTP', ftp: 'FTP', http: 'WebDAV' };

/** Publishes the services; the returned function unregisters them (SIGINT/SIGTERM, before the servers stop). */
export function advertise(s: AdvertisedServices, withCredentials: boolean, out: Writable, factory: MdnsFactory = bonjourFactory): () => Promise<void> {
  const say = (line: string) => out.write(`${line}\n`);
  const publisher = factory((err) => say(`Unable to advertise services via multicast DNS: ${err.message}`));
  if (withCredentials) {
    say('Advertising credentials via multicast DNS');
    if (!s.password) say("Unable to advertise key based credentials via multicast DNS, we don't have the private key");
  }
  for (const config of serviceConfigs(s, withCredentials)) {
    try {
      publisher.publish(config);
      say(`${LABEL[config.type]} service advertised via multicast DNS`);
    } catch (err) {
      say(`Unable to advertise ${LABEL[config.type]} service via multicast DNS: ${(err as Error).message}`);
    }
  }
  return () => new Promise<void>((resolve) => {
    say('unregistering multicast DNS services');
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      publisher.destroy();
      resolve();
    };
    // The goodbye packets go out through the multicast socket; a broken socket may never answer.
    const timer = setTimeout(done, UNPUBLISH_TIMEOUT_MS);
    publisher.unpublishAll(done);
  });
}
