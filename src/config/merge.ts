/**
 * Deep merge of a raw (parsed, untrusted) layer into a config tree. Objects merge key by key,
 * plain lists are replaced. Array-of-struct lists follow the layer's {@link ListMode}. Values are
 * copied as given, wrong types included: validation names every bad key afterwards, once.
 */
import { ITEM_DEFAULTS } from './defaults.js';

/** A JSON-like record. */
export type Tree = Record<string, unknown>;

/** True for a plain object (not an array, not null). */
export function isPlainObject(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep copy of JSON-like data. */
export function clone<T>(v: T): T {
  return structuredClone(v);
}

/**
 * How a layer's array-of-struct list (bindings, rate limiters, http certificates/headers) lands:
 * - `decode`: as SFTPGo's viper + mapstructure (v1.4) decode a config file into the defaults:
 *   item i decodes over the item already at index i (so item 0 keeps every default of the
 *   default item 0: an httpd binding giving only `port` keeps address 127.0.0.1), items past the
 *   current length start from Go zero values (not from the defaults), and an empty list leaves
 *   the current items in place (mapstructure never truncates a non-nil slice).
 * - `replace`: the list is replaced, each item starting from the item defaults (CLI overrides,
 *   portable mode and tests, where `bindings: []` means "none").
 */
export type ListMode = 'decode' | 'replace';

/**
 * Merges `layer` into `target` (mutated). Keys absent from `target` are unknown: their dotted
 * paths are pushed to `unknown` and the values are dropped, as SFTPGo ignores unknown keys.
 */
export function mergeLayer(target: Tree, layer: Tree, unknown: string[], prefix = '', mode: ListMode = 'replace'): void {
  for (const [key, value] of Object.entries(layer)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!Object.prototype.hasOwnProperty.call(target, key)) {
      unknown.push(path);
      continue;
    }
    target[key] = mergeValue(target[key], value, path, unknown, mode);
  }
}

function mergeValue(current: unknown, value: unknown, path: string, unknown: string[], mode: ListMode): unknown {
  if (isPlainObject(current) && isPlainObject(value)) {
    mergeLayer(current, value, unknown, path, mode);
    return current;
  }
  const itemDefault = ITEM_DEFAULTS[path];
  if (itemDefault && Array.isArray(value)) {
    if (mode === 'decode') return decodeItems(current, value, path, unknown);
    return value.map((item, i) => mergeItem(itemDefault() as Tree, item, `${path}.${i}`, unknown));
  }
  return clone(value);
}

/** mapstructure's slice decoding into a non-nil slice: in place, growing with zero values. */
function decodeItems(current: unknown, value: unknown[], path: string, unknown: string[]): unknown {
  const out = Array.isArray(current) ? [...current] : [];
  if (value.length === 0) return out;
  value.forEach((item, i) => {
    const base = isPlainObject(out[i]) ? out[i] : zeroValue(ITEM_DEFAULTS[path]!());
    out[i] = mergeItem(base as Tree, item, `${path}.${i}`, unknown);
  });
  return out;
}

function mergeItem(base: Tree, item: unknown, path: string, unknown: string[]): unknown {
  if (!isPlainObject(item)) return clone(item);
  mergeLayer(base, item, unknown, path, 'decode');
  return base;
}

/** Go's zero value of a struct shaped like `shape`: "", 0, false, empty lists, nested zeros. */
function zeroValue(shape: unknown): unknown {
  if (typeof shape === 'string') return '';
  if (typeof shape === 'number') return 0;
  if (typeof shape === 'boolean') return false;
  if (Array.isArray(shape)) return [];
  if (isPlainObject(shape)) return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, zeroValue(v)]));
  return shape;
}

/** Recursively freezes a tree so no caller can change the loaded config. */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}
