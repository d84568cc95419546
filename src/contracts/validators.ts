// Compiles contract schemas into validators. Compilation happens when a snapshot is loaded, never
// per request; compiled functions are cached by schema text, so a new snapshot recompiles only the
// contracts that changed.
//
// Patterns run on RE2 (linear time, see regex-engine.ts). A schema that uses `#/…` references is
// compiled together with its whole contract, so that components, recursion included, resolve as
// the contract wrote them (OpenAPI 3.1 §4.8.24: a Schema Object's base is its document).
import { createHash } from 'node:crypto';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import type { JsonSchema } from './openapi.ts';
import { re2RegExp } from './regex-engine.ts';
import { buildMinimiser } from './minimise.ts';
import { echoName } from './echo-name.ts';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsImport as unknown as (ajv: Ajv2020) => Ajv2020;

function makeAjv(options: ConstructorParameters<typeof Ajv2020>[0]): Ajv2020 {
  // addUsedSchema false: contracts are compiled one by one, and two of them (or two versions of one)
  // may use the same $id without clashing in the engine's registry.
  const ajv = new Ajv2020({ strict: false, allErrors: false, addUsedSchema: false, code: { regExp: re2RegExp }, ...options });
  addFormats(ajv);
  return ajv;
}

// Query and path values arrive as strings: coerce them to the declared types.
const paramsAjv = makeAjv({ coerceTypes: true });
// Request bodies and answers are checked as sent; answers are then minimised (minimise.ts).
const plainAjv = makeAjv({});

/** A compiled check; `errors` describes the last failure. */
export interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
export type ValidatorKind = 'params' | 'body' | 'response';

const cache = new Map<string, Validator>();

type Obj = Record<string, unknown>;

function hasRef(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(hasRef);
  if (typeof schema !== 'object' || schema === null) return false;
  for (const [k, v] of Object.entries(schema)) if (k === '$ref' || hasRef(v)) return true;
  return false;
}

/**
 * The schema as Ajv sees it: alone, or laid over its contract so that `#/components/…` (and any
 * other `#/…` pointer into the contract) resolves from the root. OpenAPI's top-level fields are not
 * JSON Schema keywords, so they change nothing but what pointers reach.
 */
function rooted(schema: JsonSchema | boolean, document: Obj | undefined): JsonSchema | boolean {
  if (!document || typeof schema === 'boolean' || !hasRef(schema)) return schema;
  return { ...document, ...schema };
}

function compileWith(engine: Ajv2020, schema: JsonSchema | boolean, document: Obj | undefined, kind: string): Validator {
  const text = JSON.stringify(rooted(schema, document));
  const key = kind + ':' + createHash('sha256').update(text).digest('base64');
  let fn = cache.get(key);
  if (!fn) {
    fn = engine.compile(JSON.parse(text) as JsonSchema) as Validator;
    cache.set(key, fn);
  }
  return fn;
}

function compileResponse(schema: JsonSchema, document: Obj | undefined): Validator {
  const text = JSON.stringify(rooted(schema, document));
  const key = 'response:' + createHash('sha256').update(text).digest('base64');
  const cached = cache.get(key);
  if (cached) return cached;
  const validate = compileWith(plainAjv, schema, document, 'body');
  const minimise = buildMinimiser(schema, document, (sub) => compileWith(plainAjv, sub, document, 'body'));
  const fn: Validator = (data) => {
    if (!validate(data)) {
      fn.errors = validate.errors;
      return false;
    }
    fn.errors = null;
    minimise(data);
    return true;
  };
  cache.set(key, fn);
  return fn;
}

/**
 * A validator for one kind of input. Answers ('response') are validated as received, then lose, in
 * place, every member the contract does not declare (minimise.ts).
 */
export function compileValidator(kind: ValidatorKind, schema: JsonSchema, document?: JsonSchema): Validator {
  if (kind === 'response') return compileResponse(schema, document);
  return compileWith(kind === 'params' ? paramsAjv : plainAjv, schema, document, kind);
}

/**
 * A short description of the first validation error, for a coded error's message. The location is
 * a path of member names, which may be data (a map keyed by national code): only plain names and
 * array indexes are shown, others as `*`.
 */
export function describeErrors(fn: Validator): string {
  const e = fn.errors?.[0];
  if (!e) return 'invalid';
  const where = e.instancePath
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((t) => (/^[0-9]{1,3}$/.test(t) ? t : echoName(t, '*').replace(/"/g, '')))
    .map((t) => '/' + t)
    .join('');
  return `${where || '(root)'} ${e.message ?? 'is invalid'}`;
}
