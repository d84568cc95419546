// Data minimisation of provider answers: every member the contract does not declare is removed.
//
// Ajv's `removeAdditional` removes while it is still trying the branches of anyOf/oneOf, so a
// branch that fails strips fields the matching branch declares ({alive: false, diedOn} came out as
// {alive: false}). Here the answer is validated first, untouched; then the value and the schema are
// walked together, and a member is kept when a schema that applies to its object declares it, in
// the sense of JSON Schema 2020-12 annotations (§10.3.2.4 unevaluatedProperties): `properties`,
// `patternProperties`, `additionalProperties` of the schema itself, of every `allOf` member, of the
// `anyOf` members and the `oneOf` member that the value matches, of `if`+`then` or `else`, of
// `dependentSchemas` whose trigger is present, and of `$ref` targets. For arrays, `prefixItems`,
// `items` and `contains` say which schemas apply to which element; an element no schema covers
// is kept but keeps no members.
//
// Conventions: an object schema that declares no members keeps none (`{type: 'object'}` or `{}`);
// the boolean schema `true` (e.g. `additionalProperties: true`) keeps its value whole, as the
// contract's explicit statement that anything may pass there.
import type { RE2 } from 're2-wasm';
import { re2 } from './regex-engine.ts';
import { resolvePointer } from './refs.ts';

type Obj = Record<string, unknown>;
type Schema = Obj | boolean;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSchema = (v: unknown): v is Schema => typeof v === 'boolean' || isObj(v);

export type Check = (data: unknown) => boolean;

interface Members {
  byKey: Map<string | number, Schema[]>;
  unevaluated: Schema[];
}

const MAP_KEYWORDS = ['properties', 'patternProperties', 'dependentSchemas'] as const;
const ONE_KEYWORDS = ['additionalProperties', 'unevaluatedProperties', 'items', 'contains', 'unevaluatedItems', 'if', 'then', 'else'] as const;
const LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;

/**
 * Builds, once, the function that prunes a validated answer in place. `compile` turns a subschema
 * into a check against the same document; it is called here for the subschemas whose outcome
 * decides which branch applies (anyOf, oneOf, if, contains), never while answering.
 */
export function buildMinimiser(top: Schema, document: Obj | undefined, compile: (schema: Schema) => Check): (data: unknown) => void {
  const checks = new Map<Schema, Check>();
  const patterns = new Map<string, RE2>();
  const refs = new Map<string, Schema>();

  const visited = new Set<Obj>();
  const plan = (s: unknown): void => {
    if (!isObj(s) || visited.has(s)) return;
    visited.add(s);
    if (typeof s.$ref === 'string') {
      const target = resolvePointer(document ?? {}, s.$ref);
      if (isSchema(target)) { refs.set(s.$ref, target); plan(target); }
    }
    for (const k of MAP_KEYWORDS) if (isObj(s[k])) for (const sub of Object.values(s[k] as Obj)) plan(sub);
    if (isObj(s.patternProperties)) for (const p of Object.keys(s.patternProperties)) if (!patterns.has(p)) patterns.set(p, re2(p));
    for (const k of ONE_KEYWORDS) plan(s[k]);
    for (const k of LIST_KEYWORDS) if (Array.isArray(s[k])) for (const sub of s[k] as unknown[]) plan(sub);
    const deciding = [...(Array.isArray(s.anyOf) ? s.anyOf : []), ...(Array.isArray(s.oneOf) ? s.oneOf : []), s.if, s.contains];
    for (const sub of deciding) if (isSchema(sub) && !checks.has(sub)) checks.set(sub, typeof sub === 'boolean' ? () => sub : compile(sub));
  };
  plan(top);

  const passes = (s: unknown, data: unknown): boolean => isSchema(s) && (checks.get(s) ?? (() => false))(data);

  function add(m: Members, key: string | number, s: unknown): void {
    if (!isSchema(s) || s === false) return;
    const list = m.byKey.get(key);
    if (list) list.push(s); else m.byKey.set(key, [s]);
  }

  function collect(s: Schema, data: unknown, m: Members, seen: Set<Obj>): void {
    if (typeof s === 'boolean' || seen.has(s)) return;
    seen.add(s);
    if (typeof s.$ref === 'string') { const t = refs.get(s.$ref); if (t !== undefined) collect(t, data, m, seen); }
    if (Array.isArray(s.allOf)) for (const sub of s.allOf) if (isSchema(sub)) collect(sub, data, m, seen);
    if (Array.isArray(s.anyOf)) for (const sub of s.anyOf) if (passes(sub, data)) collect(sub as Schema, data, m, seen);
    if (Array.isArray(s.oneOf)) {
      const match = s.oneOf.find((sub) => passes(sub, data));
      if (match !== undefined) collect(match as Schema, data, m, seen);
    }
    if (isSchema(s.if)) {
      if (passes(s.if, data)) {
        collect(s.if, data, m, seen);
        if (isSchema(s.then)) collect(s.then, data, m, seen);
      } else if (isSchema(s.else)) collect(s.else, data, m, seen);
    }
    if (isObj(data)) {
      if (isObj(s.dependentSchemas)) {
        for (const [trigger, sub] of Object.entries(s.dependentSchemas)) if (Object.hasOwn(data, trigger) && isSchema(sub)) collect(sub, data, m, seen);
      }
      const props = isObj(s.properties) ? s.properties : undefined;
      const pats = isObj(s.patternProperties) ? Object.entries(s.patternProperties) : [];
      for (const key of Object.keys(data)) {
        let declared = false;
        if (props && Object.hasOwn(props, key)) { add(m, key, props[key]); declared = true; }
        for (const [p, sub] of pats) if (patterns.get(p)!.test(key)) { add(m, key, sub); declared = true; }
        if (!declared && s.additionalProperties !== undefined) add(m, key, s.additionalProperties);
      }
      if (isSchema(s.unevaluatedProperties) && s.unevaluatedProperties !== false) m.unevaluated.push(s.unevaluatedProperties);
    } else if (Array.isArray(data)) {
      const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
      for (let i = 0; i < data.length; i++) {
        if (i < prefix.length) add(m, i, prefix[i]);
        else if (s.items !== undefined) add(m, i, s.items);
        if (s.contains !== undefined && passes(s.contains, data[i])) add(m, i, s.contains);
      }
      if (isSchema(s.unevaluatedItems) && s.unevaluatedItems !== false) m.unevaluated.push(s.unevaluatedItems);
    }
  }

  function prune(data: unknown, schemas: readonly Schema[]): void {
    if (typeof data !== 'object' || data === null || schemas.includes(true)) return;
    const m: Members = { byKey: new Map(), unevaluated: [] };
    const seen = new Set<Obj>();
    for (const s of schemas) collect(s, data, m, seen);
    if (Array.isArray(data)) {
      for (let i = 0; i < data.length; i++) prune(data[i], m.byKey.get(i) ?? m.unevaluated);
      return;
    }
    const obj = data as Obj;
    for (const key of Object.keys(obj)) {
      const subs = m.byKey.get(key) ?? (m.unevaluated.length > 0 ? m.unevaluated : undefined);
      if (subs === undefined) delete obj[key];
      else prune(obj[key], subs);
    }
  }

  return (data) => prune(data, [top]);
}
