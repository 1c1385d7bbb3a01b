/**
 * Filesystem configs: provider 0..5 with the required fields of the selected backend; only the
 * selected backend's block is kept (as SFTPGo does).
 */
import type { FilesystemConfig } from '../models.js';
import { add, checkEnum, type Problems } from './common.js';

const BLOCKS = { 1: 's3config', 2: 'gcsconfig', 3: 'azblobconfig', 4: 'cryptconfig', 5: 'sftpconfig' } as const;

export function checkFilesystem(problems: Problems, field: string, fs: FilesystemConfig | undefined): FilesystemConfig {
  const provider = fs?.provider ?? 0;
  checkEnum(problems, `${field}.provider`, provider, [0, 1, 2, 3, 4, 5]);
  const out: FilesystemConfig = { provider };
  if (provider === 0 || !(provider in BLOCKS)) return out;
  const key = BLOCKS[provider as keyof typeof BLOCKS];
  const block = (fs?.[key] ?? {}) as Record<string, unknown>;
  (out as unknown as Record<string, unknown>)[key] = block;
  const need = (name: string) => {
    if (!block[name]) add(problems, `${field}.${key}.${name}`, 'is required');
  };
  if (provider === 1) { need('bucket'); need('region'); checkPrefix(problems, `${field}.${key}.key_prefix`, block.key_prefix); }
  if (provider === 2) { need('bucket'); checkPrefix(problems, `${field}.${key}.key_prefix`, block.key_prefix); }
  if (provider === 3) { checkPrefix(problems, `${field}.${key}.key_prefix`, block.key_prefix); }
  if (provider === 4) need('passphrase');
  if (provider === 5) { need('endpoint'); need('username'); }
  return out;
}

function checkPrefix(problems: Problems, field: string, prefix: unknown): void {
  if (prefix === undefined || prefix === '') return;
  if (typeof prefix !== 'string' || prefix.startsWith('/')) add(problems, field, 'must not start with "/"');
}
