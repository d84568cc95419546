// Reads the parts of an OpenAPI 3.1 service contract that the exchange enforces: per endpoint
// (method + path template), the path and query parameters, the JSON request body, the JSON
// responses per status, and which input names the subject (the citizen the inquiry is about),
// marked with the extension `x-tabadol-subject: true`.
import { Errors, fail } from '../errors/catalogue.ts';

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export type JsonSchema = Record<string, unknown>;

export interface SubjectSource {
  in: 'path' | 'query' | 'body';
  name: string;
}

export interface ContractEndpoint {
  method: string; // upper case
  path: string; // OpenAPI template, e.g. /persons/{nationalCode}
  /** One object schema for path and query parameters together (names do not collide in practice). */
  paramsSchema: JsonSchema;
  bodySchema: JsonSchema | undefined;
  bodyRequired: boolean;
  /** JSON response schemas by status code ("200", "2XX" or "default"). */
  responses: Record<string, JsonSchema>;
  subject: SubjectSource | undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonSchemaOf(content: unknown): JsonSchema | undefined {
  if (!isObj(content)) return undefined;
  const json = content['application/json'];
  return isObj(json) && isObj(json.schema) ? (json.schema as JsonSchema) : undefined;
}

function bodySubject(schema: JsonSchema | undefined): string | undefined {
  const props = schema?.properties;
  if (!isObj(props)) return undefined;
  return Object.keys(props).find((k) => isObj(props[k]) && (props[k] as Obj)['x-tabadol-subject'] === true);
}

/** Extracts the enforceable endpoints; refuses a document that is not a usable OpenAPI 3.1 contract. */
export function readContract(contract: unknown): ContractEndpoint[] {
  if (!isObj(contract)) fail(Errors.InvalidContract, 'not a JSON object');
  if (typeof contract.openapi !== 'string' || !contract.openapi.startsWith('3.1')) {
    fail(Errors.InvalidContract, `"openapi" must be 3.1.x, got ${JSON.stringify(contract.openapi)}`);
  }
  if (!isObj(contract.paths) || Object.keys(contract.paths).length === 0) fail(Errors.InvalidContract, 'no paths');

  const endpoints: ContractEndpoint[] = [];
  for (const [template, item] of Object.entries(contract.paths)) {
    if (!template.startsWith('/')) fail(Errors.InvalidContract, `path ${template} must start with /`);
    if (!isObj(item)) fail(Errors.InvalidContract, `path ${template} is not an object`);
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      if (!isObj(op)) fail(Errors.InvalidContract, `${method} ${template} is not an object`);
      endpoints.push(readOperation(method.toUpperCase(), template, [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])], op));
    }
  }
  if (endpoints.length === 0) fail(Errors.InvalidContract, 'no operations');
  return endpoints;
}

function readOperation(method: string, template: string, parameters: unknown[], op: Obj): ContractEndpoint {
  const where = `${method} ${template}`;
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  let subject: SubjectSource | undefined;
  const templateNames = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

  for (const p of parameters) {
    if (!isObj(p) || typeof p.name !== 'string' || (p.in !== 'path' && p.in !== 'query' && p.in !== 'header')) {
      fail(Errors.InvalidContract, `${where}: a parameter needs a name and in: path, query or header`);
    }
    if (p.in === 'header') continue; // headers pass through; the exchange does not enforce them
    properties[p.name] = isObj(p.schema) ? (p.schema as JsonSchema) : {};
    if (p.in === 'path' || p.required === true) required.push(p.name);
    if (p['x-tabadol-subject'] === true) subject = { in: p.in, name: p.name };
  }
  for (const name of templateNames) {
    if (!(name in properties)) fail(Errors.InvalidContract, `${where}: path parameter {${name}} is not declared`);
  }

  const requestBody = isObj(op.requestBody) ? op.requestBody : undefined;
  const bodySchema = jsonSchemaOf(requestBody?.content);
  const bodyName = bodySubject(bodySchema);
  if (!subject && bodyName) subject = { in: 'body', name: bodyName };

  const responses: Record<string, JsonSchema> = {};
  if (isObj(op.responses)) {
    for (const [status, response] of Object.entries(op.responses)) {
      const schema = isObj(response) ? jsonSchemaOf(response.content) : undefined;
      if (schema) responses[status] = schema;
    }
  }

  return {
    method,
    path: template,
    paramsSchema: { type: 'object', properties, required },
    bodySchema,
    bodyRequired: requestBody?.required === true,
    responses,
    subject,
  };
}
