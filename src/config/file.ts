/**
 * Config file discovery and parsing. Name `sftpgo`, searched in the config dir, then
 * `$HOME/.config/sftpgo`, `/etc/sftpgo`, then "." (SFTPGo's order), trying every extension
 * SFTPGo's viper (v1.9) knows, in viper's order. We parse json, toml, yaml and yml; a found or
 * given file in another viper format (HCL, Java properties, dotenv, ini) is refused as not
 * supported, never skipped: SFTPGo would have read it, so starting on defaults would silently
 * run a different configuration. An explicit `--config-file` is absolute or relative to the
 * config dir and must exist.
 */
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { invalidInput, notFound, notSupported } from '../util/errors.js';
import { isPlainObject, type Tree } from './merge.js';

/** viper v1.9 `SupportedExts`, in its search order (json before toml before yaml). */
const VIPER_EXTENSIONS = ['json', 'toml', 'yaml', 'yml', 'properties', 'props', 'prop', 'hcl', 'dotenv', 'env', 'ini'] as const;
const PARSED = new Set(['json', 'toml', 'yaml', 'yml']);

/** Directories searched for `sftpgo.<ext>`, in order, without duplicates. */
export function searchDirs(configDir: string, env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? os.homedir();
  const dirs = [configDir];
  if (home) dirs.push(path.join(home, '.config', 'sftpgo'));
  dirs.push('/etc/sftpgo', path.resolve('.'));
  return [...new Set(dirs.map((d) => path.resolve(d)))];
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** The config file to read: the explicit one, else the first found; "" when none. */
export async function findConfigFile(configDir: string, configFile: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  if (configFile) {
    const p = path.resolve(configDir, configFile);
    if (!(await isFile(p))) throw notFound(`config file ${p} not found`);
    return p;
  }
  for (const dir of searchDirs(configDir, env)) {
    for (const ext of VIPER_EXTENSIONS) {
      const p = path.join(dir, `sftpgo.${ext}`);
      if (await isFile(p)) return p;
    }
  }
  return '';
}

/** Parses a config file by extension (json, yaml/yml, toml) into a raw tree. */
export async function readConfigFile(file: string): Promise<Tree> {
  const ext = path.extname(file).slice(1).toLowerCase();
  if (!PARSED.has(ext)) {
    throw notSupported(`config file ${file}: format "${ext}" (SFTPGo's viper reads HCL, Java properties, dotenv and ini too; use json, yaml, yml or toml)`);
  }
  const text = await readFile(file, 'utf8');
  let data: unknown;
  try {
    data = parseText(ext, text);
  } catch (err) {
    throw invalidInput(`cannot parse config file ${file}: ${(err as Error).message}`);
  }
  if (data === null || data === undefined) return {};
  if (!isPlainObject(data)) throw invalidInput(`config file ${file}: the top level must be an object`);
  return data;
}

/** `ext` is one of {@link PARSED}. */
function parseText(ext: string, text: string): unknown {
  if (ext === 'toml') return parseToml(text);
  if (ext === 'yaml' || ext === 'yml') return parseYaml(text);
  return JSON.parse(text);
}
