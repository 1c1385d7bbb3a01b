/**
 * Checks portable mode runs before starting anything, so a wrong flag is one clear error instead
 * of a server that starts and then fails every login: the storage backend must exist in this
 * build (asked to the backend registry, never guessed), and TLS files must form a usable pair.
 */
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { FsProvider } from '../../dataprovider/models.js';
import { invalidInput, notSupported } from '../../util/errors.js';
import { createFsRegistry, fsNameOf, type FsRegistry } from '../../vfs/registry.js';
import type { PortableFlags } from './options.js';

const PROVIDER_HELP = '0 local, 1 S3, 2 GCS, 3 Azure Blob, 4 encrypted local, 5 SFTP';
const KNOWN_PROVIDERS = new Set<number>(Object.values(FsProvider));

/** Refuses an unknown --fs-provider and a backend this build does not have. */
export function checkStorage(provider: number, registry: FsRegistry = createFsRegistry()): void {
  if (!KNOWN_PROVIDERS.has(provider)) throw invalidInput(`invalid --fs-provider ${provider}: ${PROVIDER_HELP}`);
  const name = fsNameOf(provider as (typeof FsProvider)[keyof typeof FsProvider]);
  if (!registry.has(name)) throw notSupported(`not supported: storage backend ${name} (--fs-provider ${provider}) is not built yet`);
}

/** Loads a certificate/key pair as the TLS servers will; the error names both files. */
export async function checkKeyPair(label: string, cert: string, key: string): Promise<void> {
  try {
    createSecureContext({ cert: await readFile(cert), key: await readFile(key) });
  } catch (err) {
    throw invalidInput(`unable to load ${label} key pair, cert file "${cert}" key file "${key}": ${(err as Error).message}`);
  }
}

/** Every check of the flags (paths already absolute), before anything starts. */
export async function preflight(flags: PortableFlags): Promise<void> {
  checkStorage(flags.filesystem.provider);
  if (flags.ftpdPort >= 0 && flags.ftpdCert && flags.ftpdKey) await checkKeyPair('FTPS', flags.ftpdCert, flags.ftpdKey);
  if (flags.webdavPort >= 0 && flags.webdavCert && flags.webdavKey) await checkKeyPair('WebDAV', flags.webdavCert, flags.webdavKey);
}
