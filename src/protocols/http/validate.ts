/**
 * Request body validation against the spec's component schemas (generated into
 * schemas.generated.ts), compiled once per server instance with ajv. Problems are reported
 * field by field as InvalidInput (400 naming the field).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { validationError, type FieldProblem } from '../../util/errors.js';
import { componentSchemas } from './schemas.generated.js';

const SPEC_ID = 'openapi.json';

// ajv-formats ships CommonJS with a default export; under NodeNext its namespace needs unwrapping.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => void;

export class SchemaValidator {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    for (const f of ['int32', 'int64', 'password', 'binary']) this.ajv.addFormat(f, true);
    // SFTPGo checks an email only when one is set: "" (what dumps carry for "no email") is valid.
    const email = this.ajv.formats.email;
    if (email instanceof RegExp) this.ajv.addFormat('email', (s: string) => s === '' || email.test(s));
    this.ajv.addSchema({ $id: SPEC_ID, components: { schemas: componentSchemas } });
  }

  /** Validator for a JSON schema fragment that may `$ref` components. */
  private compile(key: string, schema: object): ValidateFunction {
    let fn = this.cache.get(key);
    if (!fn) {
      fn = this.ajv.compile({ $id: `req-${key}`, ...schema });
      this.cache.set(key, fn);
    }
    return fn;
  }

  /** Throws a 400 InvalidInput naming each bad field unless `value` matches component `name`. */
  check<T>(name: string, value: unknown): T {
    return this.checkSchema<T>(name, { $ref: `${SPEC_ID}#/components/schemas/${name}` }, value);
  }

  /** Same for an inline schema (arrays of strings...). */
  checkSchema<T>(key: string, schema: object, value: unknown): T {
    const fn = this.compile(key, schema);
    if (!fn(value)) throw validationError(toProblems(fn.errors ?? []));
    return value as T;
  }
}

function toProblems(errors: ErrorObject[]): FieldProblem[] {
  return errors.map((e) => {
    const field = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || (e.params as { missingProperty?: string }).missingProperty || 'body';
    return { field, message: e.message ?? 'invalid value' };
  });
}
