// Fixtures for the data plane's unit tests (imported by *.test.ts only): a small registry as a
// snapshot document, compiled the way a node compiles it on load, and exchanges as the door builds
// them, so that each stage can be run on its own, or after the stages that stand before it.
import { isTabadolError } from '../errors/catalogue.ts';
import type { SnapshotAccessRight, SnapshotDocument, SnapshotService } from '../snapshot/document.ts';
import type { Exchange } from './exchange.ts';
import { compileSnapshot, type RuntimeSnapshot } from './runtime-snapshot.ts';
import type { Stage } from './stage.ts';

export const NODE_ID = 'node-1';
/** The clock of every fixture: rights are valid from a day before it. */
export const NOW = Date.parse('2025-03-21T12:00:00.000Z');
const DAY = 86_400_000;

export const PROVIDER = 'IR/GOV/NOCR/identity';
export const SERVICE = 'IR/GOV/NOCR/identity/person';
/** Homed on another node: the route stage has no way to it. */
export const REMOTE_SERVICE = 'IR/GOV/NOCR/identity/remote';
/** A provider subsystem with no service. */
export const EMPTY_PROVIDER = 'IR/GOV/POST/address';
/** May call the whole person service. */
export const JUDICIARY = 'IR/GOV/JUDICIARY/case-management';
/** May call POST /verify only. */
export const POLICE = 'IR/GOV/POLICE/licensing';
/** Registered, in the banks group, which holds a right that expired. */
export const BANK = 'IR/COM/SAMAN/kyc';
/** Registered, in the tax group, which may call GET /persons/{nationalCode}. */
export const TAX = 'IR/GOV/INTA/taxpayer';
/** Well formed, not registered. */
export const STRANGER = 'IR/GOV/NOBODY/nothing';

export const CITIZEN = '0012345679';

const personSchema = {
  type: 'object',
  required: ['nationalCode', 'firstName'],
  properties: { nationalCode: { type: 'string' }, firstName: { type: 'string' }, lastName: { type: 'string' } },
};

/** The person service's contract: templates and literals, query, bodies, subjects, answers by status. */
export const PERSON_CONTRACT = {
  openapi: '3.1.0',
  info: { title: 'Person inquiry', version: '1' },
  servers: [{ url: 'http://10.0.0.5/nocr' }],
  paths: {
    // Written before the literal below it: the literal must still win.
    '/persons/{nationalCode}': {
      get: {
        parameters: [
          { name: 'nationalCode', in: 'path', required: true, 'x-tabadol-subject': true, schema: { type: 'string', pattern: '^[0-9]{10}$' } },
          { name: 'purpose', in: 'query', schema: { type: 'string', maxLength: 20 } },
          { name: 'year', in: 'query', schema: { type: 'integer', minimum: 1300 } },
        ],
        responses: { '200': { description: 'found', content: { 'application/json': { schema: personSchema } } } },
      },
    },
    '/persons/admin-export': {
      get: { responses: { '200': { description: 'all', content: { 'application/json': { schema: { type: 'object' } } } } } },
    },
    // Undeclared query parameters pass here (x-tabadol-additional-query), but never as {region}.
    '/regions/{region}/search': {
      get: {
        'x-tabadol-additional-query': true,
        parameters: [
          { name: 'region', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]{2}$' } },
          { name: 'code', in: 'query', required: true, 'x-tabadol-subject': true, schema: { type: 'string' } },
        ],
        responses: {
          '2XX': { description: 'any success', content: { 'application/json': { schema: { type: 'object', properties: { found: { type: 'boolean' } } } } } },
          default: { description: 'otherwise', content: { 'application/json': { schema: { type: 'object', properties: { note: { type: 'string' } } } } } },
        },
      },
    },
    '/verify': {
      post: {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: {
            type: 'object', required: ['nationalCode', 'mobile'], additionalProperties: false,
            properties: { nationalCode: { type: 'string', 'x-tabadol-subject': true }, mobile: { type: 'string', pattern: '^09[0-9]{9}$' } },
          } } },
        },
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['matches'], properties: { matches: { type: 'boolean' } } } } } },
          '204': { description: 'nothing to say' },
        },
      },
    },
    '/notes': {
      put: {
        requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { text: { type: 'string' } } } } } },
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { saved: { type: 'boolean' } } } } } } },
      },
    },
    '/': {
      get: { responses: { '200': { description: 'about', content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } } } } },
    },
  },
};

function service(id: string, o: Partial<SnapshotService> = {}): SnapshotService {
  const parts = id.split('/');
  return {
    id,
    subsystemId: parts.slice(0, 4).join('/'),
    serviceCode: parts[4]!,
    title: 'Person by national code',
    baseUrl: 'http://10.0.0.5/nocr',
    timeoutMs: 2000,
    maxRatePerSecond: null,
    node: NODE_ID,
    contract: structuredClone(PERSON_CONTRACT),
    ...o,
  };
}

let nextRightId = 1;
function right(subjectId: string, serviceId: string, o: Partial<SnapshotAccessRight> = {}): SnapshotAccessRight {
  return {
    id: nextRightId++,
    subjectId,
    subjectType: 'subsystem',
    serviceId,
    method: null,
    path: null,
    legalBasis: `Act ${nextRightId}, art. 1`,
    validFrom: new Date(NOW - DAY).toISOString(),
    validUntil: null,
    ...o,
  };
}

const member = (memberCode: string, memberClass = 'GOV', name = memberCode) => ({ id: `IR/${memberClass}/${memberCode}`, memberClass, memberCode, name, nameFa: null });
const subsystem = (id: string) => ({ id, memberId: id.split('/').slice(0, 3).join('/'), subsystemCode: id.split('/')[3]!, name: null });

/** The registry of the fixtures, as a snapshot document; `change` edits a fresh copy before it is compiled. */
export function snapshotDocument(change: (doc: SnapshotDocument) => void = () => {}): SnapshotDocument {
  const doc: SnapshotDocument = {
    format: 'tabadol-snapshot/1',
    instance: 'IR',
    version: 7,
    createdAt: new Date(NOW - DAY).toISOString(),
    validUntil: new Date(NOW + DAY).toISOString(),
    publisher: NODE_ID,
    members: [
      member('NOCR', 'GOV', 'National Organization for Civil Registration'), member('POST', 'GOV', 'Post & Telegraph <Co>'),
      member('JUDICIARY'), member('POLICE'), member('SAMAN', 'COM'), member('INTA'),
    ],
    subsystems: [PROVIDER, EMPTY_PROVIDER, JUDICIARY, POLICE, BANK, TAX].map(subsystem),
    services: [service(SERVICE), service(REMOTE_SERVICE, { node: 'node-2' })],
    groups: [
      { id: 'IR/banks', description: 'Banks', members: [BANK] },
      { id: 'IR/tax', description: 'Tax', members: [TAX] },
    ],
    accessRights: [
      right(JUDICIARY, SERVICE),
      right(JUDICIARY, REMOTE_SERVICE),
      right(POLICE, SERVICE, { method: 'POST', path: '/verify' }),
      right('IR/banks', SERVICE, { subjectType: 'group', validUntil: new Date(NOW - 1000).toISOString() }),
      right('IR/tax', SERVICE, { subjectType: 'group', method: 'GET', path: '/persons/{nationalCode}' }),
    ],
    revokedSerials: ['0A1B2C'],
  };
  change(doc);
  return doc;
}

/** The fixtures' registry compiled as a node compiles a verified snapshot. */
export function runtimeSnapshot(change?: (doc: SnapshotDocument) => void): RuntimeSnapshot {
  return compileSnapshot(snapshotDocument(change));
}

const shared = runtimeSnapshot();

/** An exchange as the door hands it to the pipeline: by default the judiciary asking for the citizen. */
export function exchange(o: Partial<Exchange> = {}): Exchange {
  return {
    snapshot: shared,
    xroadId: 'IR-test-1',
    requestId: 'request-1',
    method: 'GET',
    serviceId: SERVICE,
    servicePath: `/persons/${CITIZEN}`,
    query: '',
    headers: {},
    rawHeaders: [],
    body: Buffer.alloc(0),
    requestHash: 'hash',
    clientHeader: JUDICIARY,
    userId: undefined,
    issue: undefined,
    representedParty: undefined,
    tls: undefined,
    startedAt: NOW,
    startedPerf: 0,
    ...o,
  };
}

/** Runs stages in order, as the pipeline does, awaiting those that wait. */
export async function runAll(ex: Exchange, stages: readonly Stage[]): Promise<Exchange> {
  for (const s of stages) await s.run(ex);
  return ex;
}

/** The coded type the call refused with, `uncoded: …` for anything else, or undefined when it went through. */
export async function refusal(run: () => unknown): Promise<string | undefined> {
  try {
    await run();
  } catch (e) {
    return isTabadolError(e) ? e.type : `uncoded: ${String(e)}`;
  }
  return undefined;
}

/** The coded error the call refused with (its type and message), for assertions on what it reveals. */
export async function refusalOf(run: () => unknown): Promise<{ type: string; message: string } | undefined> {
  try {
    await run();
  } catch (e) {
    if (isTabadolError(e)) return { type: e.type, message: e.message };
    return { type: `uncoded: ${String(e)}`, message: String(e) };
  }
  return undefined;
}
