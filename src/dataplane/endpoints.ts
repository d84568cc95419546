// A service's endpoints compiled from its contract, once per snapshot: the matcher of each path
// template and the validators of its parameters, body and answers.
import { readContract, type SubjectSource } from '../contracts/openapi.ts';
import { compileValidator, type Validator } from '../contracts/validators.ts';
import { compareTemplates, parseTemplate } from '../contracts/path-templates.ts';
import type { SnapshotService } from '../snapshot/document.ts';

export interface CompiledEndpoint {
  method: string;
  path: string; // the contract's template: what records and access rights name
  key: string; // "GET /persons/{nationalCode}"
  regex: RegExp;
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
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
      regex: new RegExp(`^${pattern}$`),
      names,
      validateParams: compileValidator('params', e.paramsSchema, e.document),
      validateBody: e.bodySchema ? compileValidator('body', e.bodySchema, e.document) : undefined,
      bodyRequired: e.bodyRequired,
      responses,
      subject: e.subject,
      queryNames: new Set(e.queryNames),
      pathNames: new Set(e.pathNames),
      additionalQuery: e.additionalQuery,
    };
    return { endpoint, segments: parseTemplate(e.path) };
  });
  return compiled.sort((a, b) => compareTemplates(a.segments, b.segments)).map((c) => c.endpoint);
}
