// The node's log is read by operators, shipped to log stores and kept for long: it must never carry a
// citizen's data. The demo's agencies (simulated) are asked about the demo citizen in every way that
// ends in an answer or a refusal, and the whole log of the run is searched for the citizen's
// identifiers.
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pino } from 'pino';
import { request } from 'undici';
import { defaultConfig } from '../src/node/config.ts';
import { startNode, type RunningNode } from '../src/node/node.ts';
import { createAgencyServer } from '../src/simulation/agencies/server.ts';
import { demoAgencies } from '../src/simulation/agencies/demo.ts';
import { DEMO_CITIZEN } from '../src/simulation/agencies/synthetic.ts';
import { seedDemoRegistry } from '../src/simulation/demo/demo-registry.ts';

const lines: string[] = [];
let node: RunningNode;
let agencies: ReturnType<typeof createAgencyServer>;

beforeAll(async () => {
  const simulated = demoAgencies();
  agencies = createAgencyServer(simulated);
  await new Promise<void>((r) => agencies.listen(0, '127.0.0.1', r));
  const log = pino({ level: 'trace' }, { write: (s: string) => { lines.push(s); } });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-logs-'));
  node = await startNode(defaultConfig({ dataDir, adminPort: 0, tlsPort: null, httpPort: 0, checkpointIntervalMs: 0, logLevel: 'trace' }), log);
  await seedDemoRegistry(node.registry, simulated, `http://127.0.0.1:${(agencies.address() as AddressInfo).port}`);
  await node.syncSnapshot();
});

afterAll(async () => {
  await node.close();
  agencies.closeAllConnections();
  await new Promise<void>((r) => agencies.close(() => r()));
});

async function call(p: string, headers: Record<string, string> = {}, o: { method?: string; body?: string } = {}) {
  const res = await request(`http://127.0.0.1:${node.ports.http}${p}`, { method: (o.method ?? 'GET') as 'GET', headers, body: o.body });
  await res.body.text();
  return res.statusCode;
}

it('carries none of the demo citizen\'s identifiers, whatever the inquiry', async () => {
  const { nationalCode: nc, birthDate, postalCode, mobile } = DEMO_CITIZEN;
  const judge = { 'x-road-client': 'IR/GOV/JUDICIARY/case-management' };
  const person = `/r1/IR/GOV/NOCR/identity/person/persons/${nc}`;
  const statuses = [
    await call(`${person}?birthDate=${birthDate}`, judge), // answered
    await call(`/r1/IR/GOV/NOCR/identity/person/persons/0012345678?birthDate=${birthDate}`, judge), // the agency's own refusal (check digit), passed through
    await call(`${person}?birthDate=not-a-date-${nc}`, judge), // refused by the contract
    await call(`${person}/extra/${nc}`, judge), // no such endpoint
    await call(`${person}?birthDate=${birthDate}&mobile=${mobile}`, judge), // an undeclared parameter
    await call(`${person}?birthDate=${birthDate}`, { ...judge, 'content-type': 'application/json' }, { method: 'POST', body: JSON.stringify({ nationalCode: nc }) }),
    await call(`${person}?birthDate=${birthDate}`, { ...judge, 'x-road-issue': 'i'.repeat(300) }), // header too long
    await call(`/r1/IR/GOV/NOCR/identity/person/persons/..%2F${nc}`, judge), // traversal
    await call(`/r1/IR/GOV/POST/address/address/addresses/${postalCode}`, { 'x-road-client': 'IR/GOV/POLICE/licensing' }), // denied
    await call(`/r1/IR/GOV/POST/address/address/addresses/${postalCode}`), // anonymous
    await call(`/r1/IR/GOV/NOCR/identity/nosuch/persons/${nc}`, judge), // unknown service
  ];
  expect(statuses[0]).toBe(200);
  expect(statuses.slice(1).every((s) => s >= 400)).toBe(true);
  // Refusals are logged (the log is not simply empty), yet none names the citizen.
  const text = lines.join('');
  expect(text).toMatch(/exchange refused/);
  for (const secret of [nc, birthDate, postalCode, mobile]) expect(text, secret).not.toContain(secret);
});
