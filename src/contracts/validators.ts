// Compiles contract schemas into validators. Compilation happens when a snapshot is loaded, never
// per request; compiled functions are cached by schema text, so a new snapshot recompiles only the
// contracts that changed.
import { createHash } from 'node:crypto';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import type { JsonSchema } from './openapi.ts';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsImport as unknown as (ajv: Ajv2020) => Ajv2020;

function makeAjv(options: ConstructorParameters<typeof Ajv2020>[0]): Ajv2020 {
  // addUsedSchema false: contracts are compiled one by one, and two of them (or two versions of one)
  // may use the same $id without clashing in the engine's registry.
  const ajv = new Ajv2020({ strict: false, allErrors: false, addUsedSchema: false, ...options });
  addFormats(ajv);
  return ajv;
}

// Query and path values arrive as strings: coerce them to the declared types.
const paramsAjv = makeAjv({ coerceTypes: true });
// Request bodies are checked as sent.
const bodyAjv = makeAjv({});
// Responses lose every field the contract does not declare (data minimisation), then are checked.
const responseAjv = makeAjv({ removeAdditional: 'all' });

export type Validator = ValidateFunction;
export type ValidatorKind = 'params' | 'body' | 'response';

const engines: Record<ValidatorKind, Ajv2020> = { params: paramsAjv, body: bodyAjv, response: responseAjv };
const cache = new Map<string, ValidateFunction>();

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Ajv's removeAdditional strips only where a schema lists `properties`: an object schema without
 * them would let every field through. For responses, such a schema declares no fields, so it gets
 * an empty list and the filter drops everything in it.
 */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (!isObj(schema)) return schema;
  const out: Obj = {};
  for (const [k, v] of Object.entries(schema)) {
    // Maps of subschemas by name, arrays of subschemas, and single subschemas alike.
    if ((k === 'properties' || k === '$defs' || k === 'patternProperties' || k === 'dependentSchemas') && isObj(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([n, sub]) => [n, closeObjects(sub)]));
    } else if (k === 'enum' || k === 'const' || k === 'examples' || k === 'default' || k === 'required') {
      out[k] = v;
    } else {
      out[k] = closeObjects(v);
    }
  }
  const isObjectType = out.type === 'object' || (Array.isArray(out.type) && out.type.includes('object'));
  if (isObjectType && out.properties === undefined) out.properties = {};
  return out;
}

export function compileValidator(kind: ValidatorKind, schema: JsonSchema): ValidateFunction {
  const text = JSON.stringify(kind === 'response' ? closeObjects(schema) : schema);
  const key = kind + ':' + createHash('sha256').update(text).digest('base64');
  let fn = cache.get(key);
  if (!fn) {
    fn = engines[kind].compile(JSON.parse(text) as JsonSchema);
    cache.set(key, fn);
  }
  return fn;
}

/** A short description of the first validation error, for a coded error's message. */
export function describeErrors(fn: ValidateFunction): string {
  const e = fn.errors?.[0];
  if (!e) return 'invalid';
  return `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`;
}
