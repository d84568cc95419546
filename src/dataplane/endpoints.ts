// A service's endpoints compiled from its contract, once per snapshot: the matcher of each path
// template and the validators of its parameters, body and answers.
import type { ValidateFunction } from 'ajv';
import { readContract, type SubjectSource } from '../contracts/openapi.ts';
import { compileValidator } from '../contracts/validators.ts';
import type { SnapshotService } from '../snapshot/document.ts';

export interface CompiledEndpoint {
  method: string;
  path: string; // the contract's template: what records and access rights name
  key: string; // "GET /persons/{nationalCode}"
  regex: RegExp;
  names: string[];
  validateParams: ValidateFunction;
  validateBody: ValidateFunction | undefined;
  bodyRequired: boolean;
  responses: Map<string, ValidateFunction>;
  subject: SubjectSource | undefined;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileEndpoints(service: SnapshotService): CompiledEndpoint[] {
  return readContract(service.contract).map((e) => {
    const names: string[] = [];
    // Each {name} matches one raw path segment; values are percent-decoded after matching.
    const pattern = e.path.split(/(\{[^}]+\})/).map((part) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (!m) return escapeRegex(part);
      names.push(m[1]!);
      return '([^/]+)';
    }).join('');
    const responses = new Map<string, ValidateFunction>();
    for (const [status, schema] of Object.entries(e.responses)) responses.set(status.toUpperCase(), compileValidator('response', schema));
    return {
      method: e.method,
      path: e.path,
      key: `${e.method} ${e.path}`,
      regex: new RegExp(`^${pattern}$`),
      names,
      validateParams: compileValidator('params', e.paramsSchema),
      validateBody: e.bodySchema ? compileValidator('body', e.bodySchema) : undefined,
      bodyRequired: e.bodyRequired,
      responses,
      subject: e.subject,
    };
  });
}

