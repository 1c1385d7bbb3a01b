/**
 * Configuration loading: defaults < file (json|yaml|toml) < SFTPGO_* env < CLI overrides,
 * validated once (one InvalidInput error naming every bad key, no silent reset to defaults),
 * deep-frozen. Unknown keys are ignored with a warning, as SFTPGo does. Relative paths stay as
 * written: resolve them against `configDir` with {@link resolvePath} where they are used.
 */
import path from 'node:path';
import { validationError, type FieldProblem } from '../util/errors.js';
import { defaultConfig } from './defaults.js';
import { crossProblems, providerHookFileProblems } from './checks.js';
import { applyDeprecated, takeDeprecated } from './deprecated.js';
import { applyEnv } from './env.js';
import { findConfigFile, readConfigFile } from './file.js';
import { deepFreeze, mergeLayer, type ListMode, type Tree } from './merge.js';
import { configSchema, type SchemaEntry } from './schema.js';
import { validateTree } from './validate.js';
import { applyEmptyDefaults } from './normalize.js';
import type { Config, DeepPartial, LoadedConfig } from './types.js';

export type { Config, DeepPartial, LoadedConfig } from './types.js';
export { defaultConfig } from './defaults.js';
export { configSchema, envName, type SchemaEntry } from './schema.js';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Config dir (`-c`), default "."; made absolute. */
  configDir?: string;
  /** Explicit config file (`--config-file`), absolute or relative to the config dir. */
  configFile?: string;
  /** Environment to read SFTPGO_* overrides from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Highest-precedence overrides (CLI flags, tests). */
  overrides?: DeepPartial<Config>;
}

/** Resolves a config path against the config dir; absolute and empty paths stay as they are. */
export function resolvePath(configDir: string, p: string): string {
  if (!p || path.isAbsolute(p)) return p;
  return path.join(configDir, p);
}

/** Accumulates layers, warnings and problems of one load. */
class Builder {
  readonly tree = defaultConfig() as unknown as Tree;
  readonly warnings: string[] = [];
  readonly problems: FieldProblem[] = [];
  readonly schema: SchemaEntry[] = configSchema();

  /** Merges a raw layer (file: SFTPGo's list decoding; overrides: lists replaced), deprecated keys included. */
  layer(raw: Tree, source: string, mode: ListMode = 'replace'): void {
    const layer = structuredClone(raw);
    const deprecated = takeDeprecated(layer);
    const unknown: string[] = [];
    mergeLayer(this.tree, layer, unknown, '', mode);
    for (const k of unknown) this.warnings.push(`unknown config key ${k} (${source}) ignored`);
    applyDeprecated(this.tree, deprecated, this.warnings, this.problems);
  }

  env(env: NodeJS.ProcessEnv): void {
    const res = applyEnv(this.tree, env, this.schema);
    this.warnings.push(...res.warnings);
    this.problems.push(...res.problems);
  }

  /** Problems only a real load looks for: provider hook programs that do not exist. */
  async checkFiles(): Promise<void> {
    this.problems.push(...(await providerHookFileProblems(this.tree)));
  }

  /** Validates once and freezes; throws InvalidInput listing every problem. */
  finish(): Config {
    applyEmptyDefaults(this.tree);
    const problems = [...this.problems, ...validateTree(this.tree, this.schema), ...crossProblems(this.tree)];
    if (problems.length) throw validationError(problems);
    return deepFreeze(this.tree as unknown as Config);
  }
}

/** Defaults merged with `overrides`, validated and frozen. For tests and embedded use. */
export function buildConfig(overrides?: DeepPartial<Config>): Config {
  const b = new Builder();
  if (overrides) b.layer(overrides as Tree, 'overrides');
  return b.finish();
}

/** Loads the configuration: defaults < file < SFTPGO_* env < overrides. */
export async function loadConfig(opts: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = opts.env ?? process.env;
  const configDir = path.resolve(opts.configDir ?? '.');
  const configFile = await findConfigFile(configDir, opts.configFile, env);
  const b = new Builder();
  if (configFile) b.layer(await readConfigFile(configFile), configFile, 'decode');
  b.env(env);
  if (opts.overrides) b.layer(opts.overrides as Tree, 'overrides');
  await b.checkFiles();
  return { config: b.finish(), configDir, configFile, warnings: b.warnings };
}
