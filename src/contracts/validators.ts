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
  const ajv = new Ajv2020({ strict: false, allErrors: false, ...options });
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

export function compileValidator(kind: ValidatorKind, schema: JsonSchema): ValidateFunction {
  const text = JSON.stringify(schema);
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
