/**
 * Validates a merged config tree against the schema, once, collecting every problem (a wrong type,
 * a value out of range) instead of stopping at the first or resetting it to a default.
 */
import type { FieldProblem } from '../util/errors.js';
import { isPlainObject, type Tree } from './merge.js';
import type { FieldType, SchemaEntry } from './schema.js';
import type { Rule } from './schema-docs.js';

/** Every problem of `tree`; empty when it is valid. */
export function validateTree(tree: Tree, schema: SchemaEntry[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const e of schema) {
    const { found, value, badParent } = lookup(tree, e.path);
    if (badParent) problems.push({ field: badParent, message: 'must be an object' });
    else if (found) checkEntry(e, e.path, value, problems);
  }
  return dedupe(problems);
}

function lookup(tree: Tree, path: string): { found: boolean; value?: unknown; badParent?: string } {
  const segs = path.split('.');
  let node: unknown = tree;
  for (let i = 0; i < segs.length; i++) {
    if (!isPlainObject(node)) return { found: false, badParent: segs.slice(0, i).join('.') };
    if (!(segs[i]! in node)) return { found: false };
    node = node[segs[i]!];
  }
  return { found: true, value: node };
}

function checkEntry(e: SchemaEntry, field: string, value: unknown, problems: FieldProblem[]): void {
  const typeProblem = checkType(e.type, value);
  if (typeProblem) {
    problems.push({ field, message: typeProblem });
    return;
  }
  if (e.type === 'items') {
    checkItems(e, field, value as unknown[], problems);
    return;
  }
  const ruleProblem = e.rule ? checkRule(e.rule, value) : undefined;
  if (ruleProblem) problems.push({ field, message: ruleProblem });
}

function checkItems(e: SchemaEntry, field: string, items: unknown[], problems: FieldProblem[]): void {
  items.forEach((item, i) => {
    if (!isPlainObject(item)) {
      problems.push({ field: `${field}.${i}`, message: 'must be an object' });
      return;
    }
    for (const f of e.fields ?? []) {
      if (f.path in item) checkEntry(f, `${field}.${i}.${f.path}`, item[f.path], problems);
    }
  });
}

/** The problem with `value`'s type, if any. */
export function checkType(type: FieldType, value: unknown): string | undefined {
  switch (type) {
    case 'string': return typeof value === 'string' ? undefined : 'must be a string';
    case 'bool': return typeof value === 'boolean' ? undefined : 'must be a boolean';
    case 'int': return Number.isSafeInteger(value) ? undefined : 'must be an integer';
    case 'float': return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? undefined : 'must be a list of strings';
    case 'items': return Array.isArray(value) ? undefined : 'must be a list of objects';
  }
}

function checkRule(rule: Rule, value: unknown): string | undefined {
  if (rule.oneOf && !rule.oneOf.includes(value as string | number)) {
    return `must be one of ${rule.oneOf.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`;
  }
  if (rule.each && Array.isArray(value)) {
    const bad = value.filter((v) => !rule.each!.includes(v as string));
    if (bad.length) return `unknown values ${bad.map((v) => JSON.stringify(v)).join(', ')}; allowed: ${rule.each.join(', ')}`;
  }
  if (typeof value === 'number') {
    if (rule.min !== undefined && value < rule.min) return `must be >= ${rule.min}, got ${value}`;
    if (rule.max !== undefined && value > rule.max) return `must be <= ${rule.max}, got ${value}`;
  }
  return rule.check?.(value);
}

function dedupe(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.field}\0${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
