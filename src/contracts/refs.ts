// JSON references inside a contract. Only local JSON pointers into the contract itself are allowed
// (`#` or `#/…`, RFC 6901 written as a URI fragment, RFC 3986 §3.5): a reference to a URL or a file
// would make the exchange fetch or read something chosen by whoever registers a contract.
import { Errors, fail } from '../errors/catalogue.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 6901 §3: "~1" is "/", "~0" is "~"; the fragment itself is percent-decoded first (§6). */
export function pointerTokens(ref: string): string[] {
  if (ref === '#') return [];
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    fail(Errors.InvalidContract, `${ref}: bad percent-encoding in a $ref`);
  }
  return fragment.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export const isLocalRef = (ref: string): boolean => ref === '#' || ref.startsWith('#/');

/** The JSON pointer (RFC 6901) of a location given by its tokens. */
export const toPointer = (tokens: readonly (string | number)[]): string =>
  tokens.map((t) => '/' + String(t).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

/** The value a local `$ref` points at in the document, or undefined when there is none. */
export function resolvePointer(doc: unknown, ref: string): unknown {
  let at: unknown = doc;
  for (const token of pointerTokens(ref)) {
    if (Array.isArray(at)) at = /^(0|[1-9][0-9]*)$/.test(token) ? at[Number(token)] : undefined;
    else if (isObj(at) && Object.hasOwn(at, token)) at = at[token];
    else return undefined;
  }
  return at;
}

/**
 * Follows a Reference Object (OpenAPI 3.1 §4.8.23) to the object it names: a parameter, request
 * body, response or path item written once under `components` and used by `$ref`.
 */
export function followRef(doc: unknown, value: unknown, where: string): unknown {
  const seen = new Set<string>();
  while (isObj(value) && typeof value.$ref === 'string') {
    const ref = value.$ref;
    if (!isLocalRef(ref)) fail(Errors.InvalidContract, `${where}: $ref ${JSON.stringify(ref)} is not a local #/… pointer`);
    if (seen.has(ref)) fail(Errors.InvalidContract, `${where}: $ref ${JSON.stringify(ref)} refers to itself`);
    seen.add(ref);
    const target = resolvePointer(doc, ref);
    if (target === undefined) fail(Errors.InvalidContract, `${where}: $ref ${JSON.stringify(ref)} points at nothing`);
    value = target;
  }
  return value;
}

/**
 * Every `$ref` in the document that is not a local pointer, and every `$dynamicRef` or
 * `$recursiveRef` (dynamic scopes are not supported), with its location. The caller bounds the
 * document's depth first.
 */
export function findNonLocalRefs(doc: unknown): { pointer: string; ref: unknown }[] {
  const found: { pointer: string; ref: unknown }[] = [];
  const path: (string | number)[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => { path.push(i); walk(item); path.pop(); });
    } else if (isObj(v)) {
      for (const [k, child] of Object.entries(v)) {
        const refused = k === '$ref' ? typeof child !== 'string' || !isLocalRef(child) : k === '$dynamicRef' || k === '$recursiveRef';
        if (refused) {
          found.push({ pointer: toPointer([...path, k]), ref: child });
        }
        path.push(k); walk(child); path.pop();
      }
    }
  };
  walk(doc);
  return found;
}
