// Types shared by the SIMULATED provider agencies. Simulated agencies stand in for real government
// systems in the demo and in benchmarks; they serve synthetic data only.
//
// A service's contract is the OpenAPI 3.1 document the node validates traffic against, so the
// handlers here and their contracts must never drift (the tests check every answer against it,
// through agency-test-kit.ts).

/** A JSON Schema (2020-12) object. Kept open: contracts are data, read by Ajv and by the node. */
export type JsonSchema = { readonly [keyword: string]: unknown };

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly required?: boolean;
  readonly description?: string;
  readonly schema: JsonSchema;
  /** Marks the parameter naming the citizen the inquiry is about (for the node's subject log). */
  readonly 'x-tabadol-subject'?: true;
}

export interface OpenApiMediaType {
  readonly schema: JsonSchema;
}

export interface OpenApiResponse {
  readonly description: string;
  readonly content?: { readonly 'application/json': OpenApiMediaType };
}

export interface OpenApiOperation {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: { readonly required?: boolean; readonly content: { readonly 'application/json': OpenApiMediaType } };
  readonly responses: { readonly [status: string]: OpenApiResponse };
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description?: string; readonly [extension: `x-${string}`]: unknown };
  readonly paths: { readonly [template: string]: { readonly [M in HttpMethod]?: OpenApiOperation } };
}

export interface AgencyRequest {
  /** Upper case, as on the wire. */
  readonly method: string;
  /** The path after the service base, e.g. `/persons/0012345679`. */
  readonly path: string;
  /** Path parameters of the matched OpenAPI template, already percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body, or undefined when the request had none. */
  readonly body: unknown;
}

export interface AgencyResponse {
  readonly status: number;
  readonly body: unknown;
}

/** One inquiry as a consumer would send it, relative to the service base: `/persons/0012345679?birthDate=…`. */
export interface SampleRequest {
  readonly method: 'GET' | 'POST';
  /** Path and query, already percent-encoded. */
  readonly path: string;
  readonly body?: unknown;
}

export interface AgencyService {
  readonly serviceCode: string;
  readonly titleEn: string;
  readonly titleFa: string;
  readonly contract: OpenApiDocument;
  readonly handle: (req: AgencyRequest) => AgencyResponse;
  /**
   * A typical, valid inquiry drawn from `rng` (a real citizen, the right birth date most of the
   * time): what the scenario sends and the tests replay. Kept with the agency because only the
   * agency knows which inputs its population answers.
   */
  readonly sample?: (rng: () => number) => SampleRequest;
}

export interface Agency {
  readonly memberClass: 'GOV';
  readonly memberCode: string;
  readonly nameEn: string;
  readonly nameFa: string;
  readonly subsystemCode: string;
  readonly services: readonly AgencyService[];
}

// --- Helpers for writing agencies ---------------------------------------------------------------

/** The error body every simulated agency answers with; the exchange passes it through untouched. */
export interface AgencyError {
  readonly error: string;
  readonly message: string;
}

export function ok(body: unknown): AgencyResponse {
  return { status: 200, body };
}

export function problem(status: number, error: string, message: string): AgencyResponse {
  return { status, body: { error, message } satisfies AgencyError };
}

export function badRequest(error: string, message: string): AgencyResponse {
  return problem(400, error, message);
}

/** The schema of `{ error, message }`, listing the codes an operation can answer with. */
export function errorSchema(codes: readonly string[]): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['error', 'message'],
    properties: {
      error: { type: 'string', enum: codes },
      message: { type: 'string' },
    },
  };
}

export function jsonResponse(description: string, schema: JsonSchema): OpenApiResponse {
  return { description, content: { 'application/json': { schema } } };
}

/**
 * Codes the shared server may answer with before or instead of a handler; listed in every 400 so
 * that a contract documents all it can see (bad JSON or a badly percent-encoded path is refused by
 * the server, not the handler).
 */
export const SERVER_400_CODES = ['invalid_json', 'invalid_path'] as const;

/** Marks a contract's info block, so a registry or UI can show that a service is not real. */
export const SIMULATED_INFO = { 'x-tabadol-simulated': true } as const;
