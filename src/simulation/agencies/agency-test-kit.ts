// Test helpers for simulated agencies (imported by *.test.ts only): start a real agency server on
// 127.0.0.1:0, call it, and check every 200 and 400 answer against the operation's contract, the way
// the node will: a strict validator, and one that strips undeclared fields (the node's response
// filter), which must find nothing to strip — otherwise a field would vanish on the way.
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { expect } from 'vitest';
import { isNationalCode } from '../../identifiers/iran.ts';
import type { Agency, JsonSchema, OpenApiOperation } from './agency.ts';
import { createAgencyServer, serviceBasePath, type AgencyServerOptions } from './server.ts';
import { DEMO_CITIZEN } from './synthetic.ts';

const addFormats = addFormatsImport as unknown as (ajv: Ajv2020) => Ajv2020;

export const strictAjv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
const strippingAjv = addFormats(new Ajv2020({ strict: false, removeAdditional: 'all' }));
// Keyed by schema text, as the node's cache is: generated services share their schemas' text.
const compiled = new Map<string, [ValidateFunction, ValidateFunction]>();

function validators(schema: JsonSchema): [ValidateFunction, ValidateFunction] {
  const key = JSON.stringify(schema);
  let v = compiled.get(key);
  if (!v) {
    v = [strictAjv.compile(structuredClone(schema)), strippingAjv.compile(structuredClone(schema))];
    compiled.set(key, v);
  }
  return v;
}

const templateRegex = (template: string): RegExp => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);

/** The contract operation a request path hits, found independently of the server's router. */
export function operationFor(agencies: readonly Agency[], method: string, path: string): OpenApiOperation | undefined {
  for (const agency of agencies) {
    for (const service of agency.services) {
      const base = serviceBasePath(agency, service);
      if (!path.startsWith(base + '/')) continue;
      const rest = path.slice(base.length).split('?')[0] ?? '';
      for (const [template, item] of Object.entries(service.contract.paths)) {
        const op = item[method.toLowerCase() as 'get'];
        if (op && templateRegex(template).test(rest)) return op;
      }
    }
  }
  return undefined;
}

export function expectMatchesContract(op: OpenApiOperation, status: number, body: unknown): void {
  const schema = op.responses[String(status)]?.content?.['application/json'].schema;
  expect(schema, `contract declares ${status} for ${op.operationId}`).toBeDefined();
  const [strict, stripping] = validators(schema as JsonSchema);
  expect(strict(body), JSON.stringify(strict.errors)).toBe(true);
  const copy = structuredClone(body);
  expect(stripping(copy)).toBe(true);
  expect(copy).toEqual(body);
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface RunningAgencies {
  server: http.Server;
  base: string;
  /** Calls the server; every 200 or 400 answer of a contract operation is checked against it. */
  call(method: string, path: string, body?: string): Promise<Answer>;
  close(): Promise<void>;
}

export async function startAgencies(agencies: readonly Agency[], opts?: AgencyServerOptions): Promise<RunningAgencies> {
  const server = createAgencyServer(agencies, opts);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    base,
    async call(method, path, body) {
      const res = await fetch(base + path, {
        method,
        ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
      });
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('x-simulated-agency')).toBe('true');
      const answer = { status: res.status, headers: res.headers, body: await res.json() };
      const op = operationFor(agencies, method, path);
      if (op && (answer.status === 200 || answer.status === 400)) expectMatchesContract(op, answer.status, answer.body);
      return answer;
    },
    close: () => new Promise((resolve, reject) => {
      server.closeAllConnections();
      server.close((e) => (e ? reject(e) : resolve()));
    }),
  };
}

/** Valid national codes made with an independent check-digit computation (never the demo citizen's). */
export function nationalCodes(count: number, start = 1_234_567): string[] {
  const out: string[] = [];
  for (let x = start; out.length < count; x += 7_919_113) {
    const nine = String(x % 1_000_000_000).padStart(9, '0');
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
    const r = sum % 11;
    const code = nine + (r < 2 ? r : 11 - r);
    if (code !== DEMO_CITIZEN.nationalCode && isNationalCode(code)) out.push(code);
  }
  return out;
}
