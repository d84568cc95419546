// Reads the parts of an OpenAPI 3.1 service contract that the exchange enforces: per endpoint
// (method + path template), the path and query parameters, the JSON request body, the JSON
// responses per status, and which input names the subject (the citizen the inquiry is about),
// marked with the extension `x-tabadol-subject: true`.
//
// Parameters, request bodies, responses and path items may be written once under `components` and
// used by a local `$ref`; they are followed here. `$ref`s inside schemas are left in place and
// resolved by the validator against the whole document (see validators.ts), so recursive schemas
// work. Registration (check-contract.ts) has already refused any reference that is not local.
import { Errors, fail } from '../errors/catalogue.ts';
import { followRef } from './refs.ts';

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
  /** The query parameters the operation declares; others are refused unless additionalQuery. */
  queryNames: string[];
  pathNames: string[];
  /** The operation's `x-tabadol-additional-query: true`: undeclared query parameters pass unchecked. */
  additionalQuery: boolean;
  /** The whole contract, against which `#/…` references inside the schemas resolve. */
  document: JsonSchema;
}

/** Operation extension that lets undeclared query parameters through to the provider. */
export const ADDITIONAL_QUERY = 'x-tabadol-additional-query';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonSchemaOf(content: unknown): JsonSchema | undefined {
  if (!isObj(content)) return undefined;
  const json = content['application/json'];
  return isObj(json) && isObj(json.schema) ? (json.schema as JsonSchema) : undefined;
}

function bodySubject(doc: Obj, schema: JsonSchema | undefined): string | undefined {
  const top = followRef(doc, schema, 'request body schema');
  const props = isObj(top) ? top.properties : undefined;
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
  const doc = contract;
  for (const [template, written] of Object.entries(contract.paths)) {
    if (!template.startsWith('/')) fail(Errors.InvalidContract, `path ${template} must start with /`);
    const item = followRef(doc, written, `path ${template}`);
    if (!isObj(item)) fail(Errors.InvalidContract, `path ${template} is not an object`);
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      if (!isObj(op)) fail(Errors.InvalidContract, `${method} ${template} is not an object`);
      endpoints.push(readOperation(doc, method.toUpperCase(), template, [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])], op));
    }
  }
  if (endpoints.length === 0) fail(Errors.InvalidContract, 'no operations');
  return endpoints;
}

function readOperation(doc: Obj, method: string, template: string, parameters: unknown[], op: Obj): ContractEndpoint {
  const where = `${method} ${template}`;
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const queryNames: string[] = [];
  let subject: SubjectSource | undefined;
  const templateNames = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

  for (const written of parameters) {
    const p = followRef(doc, written, `${where} parameter`);
    if (!isObj(p) || typeof p.name !== 'string' || (p.in !== 'path' && p.in !== 'query' && p.in !== 'header' && p.in !== 'cookie')) {
      fail(Errors.InvalidContract, `${where}: a parameter needs a name and in: path, query, header or cookie`);
    }
    if (p.in === 'header' || p.in === 'cookie') continue; // pass through; the exchange does not enforce them
    properties[p.name] = isObj(p.schema) ? (p.schema as JsonSchema) : {};
    if ((p.in === 'path' || p.required === true) && !required.includes(p.name)) required.push(p.name);
    if (p.in === 'query' && !queryNames.includes(p.name)) queryNames.push(p.name);
    if (p['x-tabadol-subject'] === true) subject = { in: p.in, name: p.name };
  }
  for (const name of templateNames) {
    if (!(name in properties)) fail(Errors.InvalidContract, `${where}: path parameter {${name}} is not declared`);
  }

  const writtenBody = followRef(doc, op.requestBody, `${where} request body`);
  const requestBody = isObj(writtenBody) ? writtenBody : undefined;
  const bodySchema = jsonSchemaOf(requestBody?.content);
  const bodyName = bodySubject(doc, bodySchema);
  if (!subject && bodyName) subject = { in: 'body', name: bodyName };

  const responses: Record<string, JsonSchema> = {};
  if (isObj(op.responses)) {
    for (const [status, written] of Object.entries(op.responses)) {
      const response = followRef(doc, written, `${where} response ${status}`);
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
    queryNames,
    pathNames: templateNames,
    additionalQuery: op[ADDITIONAL_QUERY] === true,
    document: doc,
  };
}
