/**
 * Option helpers shared by commands: strict number parsers, SFTPGo-style booleans
 * (`--flag`, `--flag=false`), and the global config options every command accepts.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';

/** Parses a whole integer or fails as a usage error (exit 2). */
export function parseIntStrict(value: string): number {
  if (!/^[+-]?\d+$/.test(value.trim())) throw new InvalidArgumentError(`"${value}" is not an integer`);
  return Number(value);
}

/**
 * Parses cobra/Go booleans: 1, t, true, 0, f, false (case-insensitive). pflag also takes the
 * shorthand form `-v=false`, which commander hands over as "=false".
 */
export function parseBool(value: string | boolean | undefined): boolean {
  if (value === undefined || typeof value === 'boolean') return value ?? true;
  const v = value.trim().replace(/^=/, '').toLowerCase();
  if (['1', 't', 'true', ''].includes(v)) return true;
  if (['0', 'f', 'false'].includes(v)) return false;
  throw new InvalidArgumentError(`"${value}" is not a boolean`);
}

/**
 * A boolean flag that, like cobra's, also takes `--flag=false`; `env` reads the same values.
 */
export function boolOption(flags: string, description: string, def: boolean, env?: string): Option {
  const o = new Option(`${flags} [bool]`, description).argParser((v: string) => parseBool(v)).default(def);
  o.preset(true);
  return env ? o.env(env) : o;
}

/** Global options every command accepts (also placed on the root). */
export interface GlobalOptions {
  configDir: string;
  configFile: string;
}

function hasFlag(cmd: Command, flag: string): boolean {
  return cmd.options.some((o) => o.short === flag || o.long === flag);
}

/** Adds `-c/--config-dir` and `--config-file` (with env forms) unless the command defines them. */
export function addGlobalOptions(cmd: Command): void {
  if (!hasFlag(cmd, '--config-dir')) {
    const flags = hasFlag(cmd, '-c') ? '--config-dir <dir>' : '-c, --config-dir <dir>';
    cmd.addOption(new Option(flags, 'configuration directory; base of relative paths').env('SFTPGO_CONFIG_DIR').default('.'));
  }
  if (!hasFlag(cmd, '--config-file')) {
    cmd.addOption(new Option('--config-file <file>', 'config file, absolute or relative to the config dir').env('SFTPGO_CONFIG_FILE').default(''));
  }
}

/** Adds the global options to every command of the tree (root included). */
export function addGlobalOptionsDeep(cmd: Command): void {
  addGlobalOptions(cmd);
  for (const sub of cmd.commands) addGlobalOptionsDeep(sub);
}

/**
 * The effective global options of `cmd`: a flag given on the command line (on the command or any
 * ancestor: `sftpgo -c dir serve` and `sftpgo serve -c dir` both work) beats the SFTPGO_CONFIG_*
 * environment, which beats the default.
 */
export function globalOptions(cmd: Command): GlobalOptions {
  const pick = (key: keyof GlobalOptions): string => {
    for (const source of ['cli', 'env']) {
      for (let c: Command | null = cmd; c; c = c.parent) {
        if (c.getOptionValueSource(key) === source) return String(c.getOptionValue(key));
      }
    }
    return String(cmd.getOptionValue(key) ?? (key === 'configDir' ? '.' : ''));
  };
  return { configDir: pick('configDir'), configFile: pick('configFile') };
}

/** A parser for an integer restricted to `allowed` (usage error otherwise). */
export function intChoice(allowed: readonly number[]): (value: string) => number {
  return (value: string) => {
    const n = parseIntStrict(value);
    if (!allowed.includes(n)) throw new InvalidArgumentError(`allowed: ${allowed.join(', ')}`);
    return n;
  };
}

/** A parser for a non-negative integer (usage error otherwise). */
export function parseNonNegative(value: string): number {
  const n = parseIntStrict(value);
  if (n < 0) throw new InvalidArgumentError(`"${value}" must be >= 0`);
  return n;
}
