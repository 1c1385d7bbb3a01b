/**
 * Deep merge of a raw (parsed, untrusted) layer into a config tree. Objects merge key by key,
 * plain lists are replaced, array-of-struct items start from their item defaults. Values are
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
 * Merges `layer` into `target` (mutated). Keys absent from `target` are unknown: their dotted
 * paths are pushed to `unknown` and the values are dropped, as SFTPGo ignores unknown keys.
 */
export function mergeLayer(target: Tree, layer: Tree, unknown: string[], prefix = ''): void {
  for (const [key, value] of Object.entries(layer)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!Object.prototype.hasOwnProperty.call(target, key)) {
      unknown.push(path);
      continue;
    }
    target[key] = mergeValue(target[key], value, path, unknown);
  }
}

function mergeValue(current: unknown, value: unknown, path: string, unknown: string[]): unknown {
  if (isPlainObject(current) && isPlainObject(value)) {
    mergeLayer(current, value, unknown, path);
    return current;
  }
  const itemDefault = ITEM_DEFAULTS[path];
  if (itemDefault && Array.isArray(value)) {
    return value.map((item, i) => {
      if (!isPlainObject(item)) return clone(item);
      const base = itemDefault() as Tree;
      mergeLayer(base, item, unknown, `${path}.${i}`);
      return base;
    });
  }
  return clone(value);
}

/** Recursively freezes a tree so no caller can change the loaded config. */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}
