/**
 * Query-string helpers: pagination (limit 1..500 default 100, offset >= 0, order ASC|DESC) and
 * enumerated integer parameters, each rejected with a 400 naming the parameter.
 */
import type { ListOptions } from '../../dataprovider/types.js';
import { validationError } from '../../util/errors.js';

type Query = Record<string, string | string[] | undefined>;

function single(q: Query, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Pagination from the query; every bad parameter is listed. */
export function parsePagination(q: Query): ListOptions {
  const problems = [];
  const limit = intParam(single(q, 'limit'), 100);
  const offset = intParam(single(q, 'offset'), 0);
  const order = single(q, 'order') ?? 'ASC';
  if (limit === null || limit < 1 || limit > 500) problems.push({ field: 'limit', message: 'must be an integer between 1 and 500' });
  if (offset === null || offset < 0) problems.push({ field: 'offset', message: 'must be an integer >= 0' });
  if (order !== 'ASC' && order !== 'DESC') problems.push({ field: 'order', message: 'must be ASC or DESC' });
  if (problems.length) throw validationError(problems);
  return { limit: limit as number, offset: offset as number, order: order as 'ASC' | 'DESC' };
}

function intParam(raw: string | undefined, dflt: number): number | null {
  if (raw === undefined || raw === '') return dflt;
  return /^-?\d+$/.test(raw) ? Number(raw) : null;
}

/** An integer parameter restricted to `allowed`; `dflt` when absent. */
export function enumInt<T extends number>(q: Query, name: string, allowed: readonly T[], dflt: T): T {
  const v = intParam(single(q, name), dflt);
  if (v === null || !allowed.includes(v as T)) {
    throw validationError([{ field: name, message: `must be one of ${allowed.join(', ')}` }]);
  }
  return v as T;
}

/** A string parameter restricted to `allowed`. */
export function enumStr<T extends string>(q: Query, name: string, allowed: readonly T[], dflt: T): T {
  const v = single(q, name) ?? dflt;
  if (!allowed.includes(v as T)) throw validationError([{ field: name, message: `must be one of ${allowed.join(', ')}` }]);
  return v as T;
}

/** A required string parameter. */
export function requiredStr(q: Query, name: string): string {
  const v = single(q, name);
  if (!v) throw validationError([{ field: name, message: 'is required' }]);
  return v;
}

export function optionalStr(q: Query, name: string): string | undefined {
  return single(q, name);
}
