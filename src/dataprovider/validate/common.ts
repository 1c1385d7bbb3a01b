/**
 * Small checks shared by the user, folder and admin validators. Each pushes field-named problems
 * into a list so one call reports every problem at once.
 */
import { normalize, posix } from 'node:path';
import ipaddr from 'ipaddr.js';
import type { FieldProblem } from '../../util/errors.js';

export type Problems = FieldProblem[];

const NATURAL_KEY = /^[a-zA-Z0-9\-_.~]+$/;

export function add(problems: Problems, field: string, message: string): void {
  problems.push({ field, message });
}

/** Usernames, folder and admin names: URI-unreserved characters unless the check is disabled. */
export function checkName(problems: Problems, field: string, value: unknown, skipNaturalKeys: boolean): void {
  if (typeof value !== 'string' || value === '') return add(problems, field, 'is required');
  if (!skipNaturalKeys && !NATURAL_KEY.test(value)) {
    add(problems, field, `"${value}" is not valid: only letters, numbers and "-_.~" are allowed`);
  }
}

/** Go's filepath.Clean for a path: `.`/`..`/double slashes resolved, no trailing slash (except "/"). */
export function cleanPath(p: string): string {
  return normalize(p).replace(/(.)[/\\]$/, '$1');
}

/** An absolute, clean POSIX virtual path. */
export function isCleanAbsolute(p: string): boolean {
  return p.startsWith('/') && posix.normalize(p) === p && (p === '/' || !p.endsWith('/'));
}

export function checkCidrs(problems: Problems, field: string, list: unknown): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) return add(problems, field, 'must be a list of CIDR networks');
  list.forEach((cidr, i) => {
    try {
      ipaddr.parseCIDR(String(cidr));
    } catch {
      add(problems, `${field}[${i}]`, `"${cidr}" is not a valid CIDR network`);
    }
  });
}

export function checkNonNegativeInt(problems: Problems, field: string, value: unknown, min = 0): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    add(problems, field, `must be an integer >= ${min}`);
  }
}

export function checkEnum<T>(problems: Problems, field: string, value: unknown, allowed: readonly T[]): void {
  if (value === undefined || value === null) return;
  if (!allowed.includes(value as T)) add(problems, field, `"${String(value)}" is not one of ${allowed.join(', ')}`);
}

/** Every element must be one of `allowed`; returns the list de-duplicated. */
export function checkSubset<T>(problems: Problems, field: string, value: unknown, allowed: readonly T[]): T[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    add(problems, field, 'must be a list');
    return undefined;
  }
  value.forEach((v, i) => {
    if (!allowed.includes(v as T)) add(problems, `${field}[${i}]`, `"${String(v)}" is not one of ${allowed.join(', ')}`);
  });
  return [...new Set(value as T[])];
}
