// A service's endpoints compiled from its contract, once per snapshot: the matcher of each path
// template and the validators of its parameters, body and answers.
import { readContract, type SubjectSource } from '../contracts/openapi.ts';
import { compileValidator, type Validator } from '../contracts/validators.ts';
import { compareTemplates, parseTemplate } from '../contracts/path-templates.ts';
import type { SnapshotService } from '../snapshot/document.ts';
import { re2 } from '../contracts/regex-engine.ts';

export interface CompiledEndpoint {
  method: string;
  path: string; // the contract's template: what records and access rights name
  key: string; // "GET /persons/{nationalCode}"
  regex: { exec(path: string): ArrayLike<string | undefined> | null };
  names: string[];
  validateParams: Validator;
  validateBody: Validator | undefined;
  bodyRequired: boolean;
  responses: Map<string, Validator>;
  subject: SubjectSource | undefined;
  /** Query parameters the operation declares. */
  queryNames: ReadonlySet<string>;
  /** Path parameters: a query parameter may not take one of their names. */
  pathNames: ReadonlySet<string>;
  /** Undeclared query parameters pass unchecked (`x-tabadol-additional-query: true`). */
  additionalQuery: boolean;
  /** Every literal path segment of the contract, exactly and folded (see foldSegment). */
  literals: { exact: ReadonlySet<string>; folded: ReadonlySet<string> };
}

/**
 * A segment as lenient providers route it: case-insensitively (Express, ASP.NET Core) and without
 * trailing dots or spaces (IIS). A parameter value that folds to a literal segment of the contract
 * without being it (`ADMIN-EXPORT`, `admin-export.`) could run that literal route there.
 */
export const foldSegment = (s: string) => s.toLowerCase().replace(/[. ]+$/, '');

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A segment with one parameter (`{id}`, `{id}.json`) has one way to match, so V8's engine is linear
 * on it. Two or more in one segment (`{y}-{m}-{d}`) can split the segment in polynomially many ways,
 * which a backtracking engine tries one by one (a 6,000-character segment took 31 s): such a
 * template is matched by RE2, in linear time.
 */
function matcher(source: string, template: string): CompiledEndpoint['regex'] {
  const crowded = template.split('/').some((segment) => (segment.match(/\{[^}]+\}/g)?.length ?? 0) > 1);
  return crowded ? re2(source) : new RegExp(source);
}

/**
 * The endpoints in the order the data plane tries them: the more literal template first, whatever
 * the contract's order (`/records/admin-export` before `/records/{id}`; the rule is in
 * contracts/path-templates.ts). The sort is stable, so the contract's order breaks ties.
 */
export function compileEndpoints(service: SnapshotService): CompiledEndpoint[] {
  const compiled = readContract(service.contract).map((e) => {
    const names: string[] = [];
    // Each {name} matches one raw path segment; values are percent-decoded after matching.
    const pattern = e.path.split(/(\{[^}]+\})/).map((part) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (!m) return escapeRegex(part);
      names.push(m[1]!);
      return '([^/]+)';
    }).join('');
    const responses = new Map<string, Validator>();
    for (const [status, schema] of Object.entries(e.responses)) responses.set(status.toUpperCase(), compileValidator('response', schema, e.document));
    const endpoint: CompiledEndpoint = {
      method: e.method,
      path: e.path,
      key: `${e.method} ${e.path}`,
      regex: matcher(`^${pattern}$`, e.path),
      names,
      validateParams: compileValidator('params', e.paramsSchema, e.document),
      validateBody: e.bodySchema ? compileValidator('body', e.bodySchema, e.document) : undefined,
      bodyRequired: e.bodyRequired,
      responses,
      subject: e.subject,
      queryNames: new Set(e.queryNames),
      pathNames: new Set(e.pathNames),
      additionalQuery: e.additionalQuery,
      literals: { exact: new Set(), folded: new Set() },
    };
    return { endpoint, segments: parseTemplate(e.path) };
  });
  const exact = new Set<string>();
  for (const c of compiled) for (const segment of c.endpoint.path.split('/')) if (segment !== '' && !segment.includes('{')) exact.add(segment);
  const literals = { exact, folded: new Set([...exact].map(foldSegment)) };
  for (const c of compiled) c.endpoint.literals = literals;
  return compiled.sort((a, b) => compareTemplates(a.segments, b.segments)).map((c) => c.endpoint);
}
