/**
 * The REST contract as data, read straight from openapi.yaml (not from our generated schemas, so
 * the checks stay independent of the code under test): every operation with its method, path and
 * documented statuses, and a strict variant of each response schema that also rejects unknown
 * field names (prism accepts extra fields because the spec never closes its objects).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { SPEC_PATH } from './prism.js';

type Json = Record<string, unknown>;

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  /** Documented statuses, `default` excluded. */
  statuses: string[];
  responses: Record<string, Json>;
}

export interface Spec {
  doc: Json;
  operations: SpecOperation[];
  byId: Map<string, SpecOperation>;
}

export function loadSpec(): Spec {
  const doc = parse(readFileSync(SPEC_PATH, 'utf8')) as Json;
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head']) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const responses = op.responses as Record<string, Json>;
      operations.push({
        operationId: op.operationId as string, method: method.toUpperCase(), path, responses,
        statuses: Object.keys(responses).filter((s) => s !== 'default'),
      });
    }
  }
  return { doc, operations, byId: new Map(operations.map((o) => [o.operationId, o])) };
}

function resolveRef(doc: Json, ref: string): Json {
  return ref.replace(/^#\//, '').split('/').reduce<Json>((o, k) => o[k] as Json, doc);
}

/** Inlines $refs, merges allOf branches and closes every object that lists its properties. */
export function strictify(doc: Json, schema: Json): Json {
  if (typeof schema.$ref === 'string') return strictify(doc, resolveRef(doc, schema.$ref));
  const out: Json = { ...schema };
  if (Array.isArray(schema.allOf)) {
    delete out.allOf;
    const parts = (schema.allOf as Json[]).map((p) => strictify(doc, p));
    out.type = 'object';
    out.properties = Object.assign({}, ...parts.map((p) => p.properties ?? {}));
    out.required = parts.flatMap((p) => (p.required as string[] | undefined) ?? []);
  }
  if (out.properties) {
    out.properties = Object.fromEntries(Object.entries(out.properties as Record<string, Json>).map(([k, v]) => [k, strictify(doc, v)]));
    if (out.additionalProperties === undefined) out.additionalProperties = false;
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    const sub = out[key];
    if (sub && typeof sub === 'object') out[key] = strictify(doc, sub as Json);
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(out[key])) out[key] = (out[key] as Json[]).map((p) => strictify(doc, p));
  }
  return out;
}

// ajv-formats ships CommonJS with a default export; under NodeNext its namespace needs unwrapping.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => void;

/** Strict JSON response validators per operation and status. */
export class StrictResponses {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly cache = new Map<string, ValidateFunction | null>();

  constructor(private readonly spec: Spec) {
    addFormats(this.ajv);
    for (const f of ['int32', 'int64', 'password', 'binary']) this.ajv.addFormat(f, true);
  }

  /** Problems of `body` against the strict JSON schema of (operation, status); [] when none applies. */
  check(operationId: string, status: number, body: unknown): string[] {
    const fn = this.validator(operationId, status);
    if (!fn || fn(body)) return [];
    return (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }

  private validator(operationId: string, status: number): ValidateFunction | null {
    const key = `${operationId} ${status}`;
    if (this.cache.has(key)) return this.cache.get(key)!;
    const op = this.spec.byId.get(operationId);
    let res = op?.responses[String(status)] ?? op?.responses.default;
    if (res && typeof res.$ref === 'string') res = resolveRef(this.spec.doc, res.$ref);
    const schema = ((res?.content as Record<string, Json> | undefined)?.['application/json'])?.schema as Json | undefined;
    const fn = schema ? this.ajv.compile(strictify(this.spec.doc, schema)) : null;
    this.cache.set(key, fn);
    return fn;
  }
}
