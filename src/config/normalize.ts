/**
 * Keys where SFTPGo documents an empty value as "use the default" (INVENTORY §1.4): empty SFTP
 * and FTP banners and an empty `credentials_path`. SFTPGo's shipped sftpgo.json has empty banners,
 * so applying this keeps its banners. This is the meaning of "", not a fix-up of invalid values
 * (those are refused by validation).
 */
import { defaultConfig } from './defaults.js';
import { isPlainObject, type Tree } from './merge.js';

const EMPTY_MEANS_DEFAULT = ['sftpd.banner', 'ftpd.banner', 'data_provider.credentials_path'] as const;

/** Replaces the empty values of {@link EMPTY_MEANS_DEFAULT} keys with their defaults (mutates). */
export function applyEmptyDefaults(tree: Tree): void {
  const defaults = defaultConfig() as unknown as Tree;
  for (const key of EMPTY_MEANS_DEFAULT) {
    const [section, name] = key.split('.') as [string, string];
    const node = tree[section];
    if (isPlainObject(node) && node[name] === '') node[name] = (defaults[section] as Tree)[name];
  }
}
