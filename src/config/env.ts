/**
 * SFTPGO_* environment overrides (INVENTORY §1.4): nesting with `__`, lists comma-separated,
 * empty values honoured (empty string, empty list, and 0/false as SFTPGo's weak decoding gives),
 * array-of-struct items by index 0-9 (`SFTPGO_SFTPD__BINDINGS__0__PORT`; the index equal to the
 * current length appends an item that starts from the item defaults).
 */
import type { FieldProblem } from '../util/errors.js';
import { ITEM_DEFAULTS } from './defaults.js';
import { applyDeprecated, deprecatedPaths } from './deprecated.js';
import { isPlainObject, type Tree } from './merge.js';
import { envName, type FieldType, type SchemaEntry } from './schema.js';

/** What applying the environment found. */
export interface EnvResult {
  problems: FieldProblem[];
  warnings: string[];
}

const ITEM_RE = /^(SFTPGO_.+?)__(\d+)__([A-Z0-9_]+)$/;

/** Parses one env value as `type`; returns the value or the problem. */
export function parseEnvValue(type: FieldType, raw: string): { value?: unknown; problem?: string } {
  const v = raw.trim();
  switch (type) {
    case 'string': return { value: raw };
    case 'string[]': return { value: v === '' ? [] : v.split(',').map((s) => s.trim()).filter((s) => s !== '') };
    case 'bool': return parseBool(v);
    case 'int':
      if (v === '') return { value: 0 };
      return /^[+-]?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? { value: Number(v) } : { problem: `"${raw}" is not an integer` };
    case 'float':
      if (v === '') return { value: 0 };
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) ? { value: Number(v) } : { problem: `"${raw}" is not a number` };
    case 'items': return { problem: 'a list of objects is set item by item (__<index>__<FIELD>)' };
  }
}

function parseBool(v: string): { value?: unknown; problem?: string } {
  const l = v.toLowerCase();
  if (['1', 't', 'true', ''].includes(l)) return { value: l !== '' };
  if (['0', 'f', 'false'].includes(l)) return { value: false };
  return { problem: `"${v}" is not a boolean (1, true, 0, false)` };
}

/** Applies every SFTPGO_* config variable of `env` to `tree` (mutated). */
export function applyEnv(tree: Tree, env: NodeJS.ProcessEnv, schema: SchemaEntry[]): EnvResult {
  const res: EnvResult = { problems: [], warnings: [] };
  const leaves = new Map(schema.filter((e) => e.type !== 'items').map((e) => [e.env, e]));
  const lists = new Map(schema.filter((e) => e.type === 'items').map((e) => [envName(e.path), e]));
  const sections = new Set(Object.keys(tree).map((s) => `SFTPGO_${s.toUpperCase()}__`));
  const deprecated: Tree = {};
  for (const name of Object.keys(env).filter((k) => k.startsWith('SFTPGO_')).sort(byIndex)) {
    const raw = env[name] ?? '';
    const leaf = leaves.get(name);
    if (leaf) setLeaf(tree, leaf, name, raw, res);
    else if (!applyItem(tree, lists, name, raw, res) && !takeDeprecatedEnv(deprecated, name, raw, res)) {
      if ([...sections].some((s) => name.startsWith(s))) res.warnings.push(`unknown config env variable ${name} ignored`);
    }
  }
  applyDeprecated(tree, deprecated, res.warnings, res.problems);
  return res;
}

/** Sorts names so that item indexes are applied in numeric order (0..9 before 10). */
function byIndex(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function setLeaf(tree: Tree, e: SchemaEntry, name: string, raw: string, res: EnvResult): void {
  const { value, problem } = parseEnvValue(e.type, raw);
  if (problem) {
    res.problems.push({ field: e.path, message: `env ${name}: ${problem}` });
    return;
  }
  const segs = e.path.split('.');
  let node: unknown = tree;
  for (const s of segs.slice(0, -1)) node = isPlainObject(node) ? node[s] : undefined;
  // A parent of the wrong type (from the file) is reported by validation; nothing to set.
  if (isPlainObject(node)) node[segs[segs.length - 1]!] = value;
}

function applyItem(tree: Tree, lists: Map<string, SchemaEntry>, name: string, raw: string, res: EnvResult): boolean {
  const m = ITEM_RE.exec(name);
  const list = m ? lists.get(m[1]!) : undefined;
  if (!m || !list) return false;
  const idx = Number(m[2]);
  const field = list.fields?.find((f) => f.path === m[3]!.toLowerCase());
  const where = `${list.path}.${idx}`;
  if (!field) return warn(res, `unknown config env variable ${name} ignored`);
  if (idx > 9) return problem(res, where, `env ${name}: item indexes go from 0 to 9`);
  const { value, problem: bad } = parseEnvValue(field.type, raw);
  if (bad) return problem(res, `${where}.${field.path}`, `env ${name}: ${bad}`);
  const items = getPath(tree, list.path);
  if (!Array.isArray(items)) return true; // wrong type from the file: validation reports it
  if (idx > items.length) return problem(res, where, `env ${name}: index ${idx} skips items (the list has ${items.length})`);
  if (idx === items.length) items.push(ITEM_DEFAULTS[list.path]!());
  if (isPlainObject(items[idx])) items[idx][field.path] = value;
  return true;
}

function takeDeprecatedEnv(out: Tree, name: string, raw: string, res: EnvResult): boolean {
  const path = deprecatedPaths().find((p) => envName(p) === name);
  if (!path) return false;
  const [svc, key] = path.split('.') as [string, string];
  const type: FieldType = key === 'bind_port' || key === 'tls_mode' ? 'int' : 'string';
  const { value, problem: bad } = parseEnvValue(type, raw);
  if (bad) return problem(res, path, `env ${name}: ${bad}`);
  ((out[svc] ??= {}) as Tree)[key] = value;
  return true;
}

function getPath(tree: Tree, path: string): unknown {
  let node: unknown = tree;
  for (const s of path.split('.')) node = isPlainObject(node) ? node[s] : undefined;
  return node;
}

function warn(res: EnvResult, msg: string): true {
  res.warnings.push(msg);
  return true;
}

function problem(res: EnvResult, field: string, message: string): true {
  res.problems.push({ field, message });
  return true;
}
