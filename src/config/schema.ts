/**
 * The config schema: one entry per key with type, default, env name and doc line. Defaults come
 * from `defaults.ts`, docs and allowed values from `schema-docs.ts`; types are the defaults' types
 * (numbers are integers unless listed as floats). Loader, env parser, validator and the example
 * config generator all read this one description.
 */
import { defaultConfig, ITEM_DEFAULTS } from './defaults.js';
import { FLOAT_KEYS, KEY_META, type Rule } from './schema-docs.js';
import { isPlainObject, type Tree } from './merge.js';

/** Scalar and list types a key can have. */
export type FieldType = 'string' | 'int' | 'float' | 'bool' | 'string[]' | 'items';

/** One key of the schema. */
export interface SchemaEntry {
  /** Dotted path; item fields read `sftpd.bindings[].port`. */
  path: string;
  type: FieldType;
  default: unknown;
  /** Env name; item fields carry `<i>` where the index goes. */
  env: string;
  doc: string;
  rule?: Rule;
  /** For `items`: the fields of one item, paths relative to the item. */
  fields?: SchemaEntry[];
}

/** SFTPGo's env name of a dotted path: `SFTPGO_` + upper-cased segments joined by `__`. */
export function envName(path: string): string {
  return 'SFTPGO_' + path.replace('[]', '.<i>').split('.').map((s) => (s === '<i>' ? s : s.toUpperCase())).join('__');
}

function typeOf(path: string, value: unknown): FieldType {
  if (Array.isArray(value)) return ITEM_DEFAULTS[path] ? 'items' : 'string[]';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return FLOAT_KEYS.has(path) ? 'float' : 'int';
  return 'string';
}

function entry(path: string, value: unknown): SchemaEntry {
  const meta = KEY_META[path];
  const type = typeOf(path, value);
  const e: SchemaEntry = { path, type, default: value, env: envName(path), doc: meta?.doc ?? '' };
  if (meta?.rule) e.rule = meta.rule;
  if (type === 'items') {
    const item = ITEM_DEFAULTS[path]!() as Tree;
    e.fields = Object.entries(item).map(([k, v]) => {
      const f = entry(`${path}[].${k}`, v);
      return { ...f, path: k };
    });
  }
  return e;
}

function walk(tree: Tree, prefix: string, out: SchemaEntry[]): void {
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (isPlainObject(v)) walk(v, path, out);
    else out.push(entry(path, v));
  }
}

/** Every key of the configuration, in file order. */
export function configSchema(): SchemaEntry[] {
  const out: SchemaEntry[] = [];
  walk(defaultConfig() as unknown as Tree, '', out);
  return out;
}

/** The tree of defaults described by the schema (what `sftpgo.example.json` contains). */
export function schemaDefaults(schema: SchemaEntry[] = configSchema()): Tree {
  const root: Tree = {};
  for (const e of schema) {
    const segs = e.path.split('.');
    let node = root;
    for (const s of segs.slice(0, -1)) node = (node[s] ??= {}) as Tree;
    node[segs[segs.length - 1]!] = structuredClone(e.default);
  }
  return root;
}
