/**
 * File pattern filters: per absolute virtual dir, shell-like globs (Go filepath.Match syntax),
 * lower-cased because matching is case-insensitive; no duplicate dirs.
 */
import { posix } from 'node:path';
import type { PatternsFilter } from '../models.js';
import { add, type Problems } from './common.js';

/** A glob is valid when its bracket expressions are closed and escapes are complete. */
export function isValidGlob(p: string): boolean {
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      if (i + 1 >= p.length) return false;
      i++;
    } else if (c === '[' && !inClass) {
      inClass = true;
      if (p[i + 1] === '^' || p[i + 1] === '!') i++;
      if (p[i + 1] === ']') return false;
    } else if (c === ']' && inClass) inClass = false;
  }
  return !inClass;
}

export function checkPatterns(problems: Problems, list: PatternsFilter[] | undefined): PatternsFilter[] {
  if (!list) return [];
  if (!Array.isArray(list)) {
    add(problems, 'filters.file_patterns', 'must be a list');
    return [];
  }
  const seen = new Set<string>();
  return list.map((f, i) => {
    const field = `filters.file_patterns[${i}]`;
    const path = typeof f.path === 'string' && f.path.startsWith('/') ? posix.normalize(f.path).replace(/(.)\/$/, '$1') : '';
    if (!path) add(problems, `${field}.path`, 'must be an absolute path');
    else if (seen.has(path)) add(problems, `${field}.path`, `duplicated path "${path}"`);
    seen.add(path);
    const norm = (name: 'allowed_patterns' | 'denied_patterns') => (f[name] ?? []).map((p, j) => {
      if (typeof p !== 'string' || !p || !isValidGlob(p)) add(problems, `${field}.${name}[${j}]`, `"${String(p)}" is not a valid pattern`);
      return String(p).toLowerCase();
    });
    const allowed = norm('allowed_patterns');
    const denied = norm('denied_patterns');
    if (!allowed.length && !denied.length) add(problems, field, 'at least one allowed or denied pattern is required');
    return { path, allowed_patterns: allowed, denied_patterns: denied };
  });
}
