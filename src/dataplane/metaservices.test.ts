// X-Road's REST metaservices answered from the snapshot alone: listClients (PR-META §2), and per
// provider subsystem listMethods, allowedMethods and getOpenAPI (PR-MREST).
import { describe, expect, it } from 'vitest';
import { allowedMethods, getOpenApi, listClients, listMethods, wildcardPath } from './metaservices.ts';
import {
  BANK, EMPTY_PROVIDER, JUDICIARY, NOW, PERSON_CONTRACT, POLICE, PROVIDER, refusal, runtimeSnapshot, STRANGER, TAX,
} from './test-kit.ts';

const snapshot = runtimeSnapshot();
const body = (a: { body: string }) => JSON.parse(a.body) as { service: { service_code: string; endpoint_list: { method: string; path: string }[] }[] };
const endpointsOf = (a: { body: string }, code: string) => body(a).service.find((s) => s.service_code === code)?.endpoint_list;

describe('listClients', () => {
  it('answers X-Road\'s XML clientList unless Accept names application/json', () => {
    const xml = listClients(snapshot, '', undefined);
    expect(xml.contentType).toBe('text/xml; charset=utf-8');
    expect(xml.body).toContain('<ns2:clientList xmlns:ns1="http://x-road.eu/xsd/identifiers" xmlns:ns2="http://x-road.eu/xsd/xroad.xsd">');
    expect(xml.body).toContain('<ns2:id ns1:objectType="SUBSYSTEM"><ns1:xRoadInstance>IR</ns1:xRoadInstance><ns1:memberClass>GOV</ns1:memberClass>'
      + '<ns1:memberCode>JUDICIARY</ns1:memberCode><ns1:subsystemCode>case-management</ns1:subsystemCode></ns2:id>');
    // Names are escaped: a member's name is free text.
    expect(xml.body).toContain('<ns2:name>Post &#38; Telegraph &#60;Co&#62;</ns2:name>');
    const json = listClients(snapshot, '', 'text/html;q=0.9, Application/JSON;q=0.1');
    expect(json.contentType).toBe('application/json; charset=utf-8');
    const members = (JSON.parse(json.body) as { member: { id: Record<string, string> }[] }).member;
    expect(members).toContainEqual({ id: { object_type: 'MEMBER', xroad_instance: 'IR', member_class: 'COM', member_code: 'SAMAN' }, name: 'SAMAN' });
    expect(members.filter((m) => m.id.object_type === 'SUBSYSTEM')).toHaveLength(snapshot.subsystems.size);
  });

  it('lists no clients for another instance (xRoadInstance), in either format', () => {
    expect(JSON.parse(listClients(snapshot, 'xRoadInstance=EE', 'application/json').body)).toEqual({ member: [] });
    expect(listClients(snapshot, 'xRoadInstance=EE', undefined).body).not.toContain('<ns2:member>');
    expect(JSON.parse(listClients(snapshot, 'xRoadInstance=IR', 'application/json').body).member.length).toBeGreaterThan(0);
  });
});

describe('listMethods', () => {
  it('lists every service of the provider with its endpoints in X-Road\'s wildcard form', () => {
    const a = listMethods(snapshot, PROVIDER);
    expect(body(a).service.map((s) => s.service_code).sort()).toEqual(['person', 'remote']);
    expect(body(a).service[0]).toMatchObject({ object_type: 'SERVICE', xroad_instance: 'IR', member_class: 'GOV', member_code: 'NOCR', subsystem_code: 'identity', service_type: 'OPENAPI' });
    expect(endpointsOf(a, 'person')).toContainEqual({ method: 'GET', path: '/persons/*' });
    expect(endpointsOf(a, 'person')).toContainEqual({ method: 'GET', path: '/regions/*/search' });
  });

  it('answers an empty list for a provider without services, and Server.ServerProxy.UnknownService for an unknown one', async () => {
    expect(body(listMethods(snapshot, EMPTY_PROVIDER)).service).toEqual([]);
    expect(await refusal(() => listMethods(snapshot, STRANGER))).toBe('Server.ServerProxy.UnknownService');
  });

  it('writes each {parameter} as * (X-Road\'s OpenApiParser)', () => {
    expect(wildcardPath('/a/{x}/b/{y}.json')).toBe('/a/*/b/*.json');
    expect(wildcardPath('/plain')).toBe('/plain');
  });
});

describe('allowedMethods', () => {
  it('lists every endpoint of a service the caller may call whole', () => {
    const a = allowedMethods(snapshot, PROVIDER, JUDICIARY, NOW);
    expect(endpointsOf(a, 'person')).toEqual(endpointsOf(listMethods(snapshot, PROVIDER), 'person'));
    expect(endpointsOf(a, 'remote')).toBeDefined();
  });

  it('lists only the endpoints a right names, through groups too', () => {
    expect(body(allowedMethods(snapshot, PROVIDER, POLICE, NOW)).service).toHaveLength(1);
    expect(endpointsOf(allowedMethods(snapshot, PROVIDER, POLICE, NOW), 'person')).toEqual([{ method: 'POST', path: '/verify' }]);
    expect(endpointsOf(allowedMethods(snapshot, PROVIDER, TAX, NOW), 'person')).toEqual([{ method: 'GET', path: '/persons/*' }]);
  });

  it('lists nothing for a caller whose rights expired or who has none', () => {
    expect(body(allowedMethods(snapshot, PROVIDER, BANK, NOW)).service).toEqual([]);
    expect(body(allowedMethods(snapshot, PROVIDER, STRANGER, NOW)).service).toEqual([]);
    // Rights valid from a day before NOW: not yet valid earlier.
    expect(body(allowedMethods(snapshot, PROVIDER, JUDICIARY, NOW - 2 * 86_400_000)).service).toEqual([]);
  });
});

describe('getOpenAPI', () => {
  it('serves the contract with the provider\'s servers hidden', () => {
    const a = getOpenApi(snapshot, PROVIDER, 'serviceCode=person');
    const contract = JSON.parse(a.body) as typeof PERSON_CONTRACT;
    expect(contract.paths).toEqual(PERSON_CONTRACT.paths);
    expect(contract.servers).toEqual([{ url: 'http://example.org/xroad-example' }]);
    expect(a.body).not.toContain('10.0.0.5');
    // The snapshot's own copy is left as it was.
    expect((snapshot.services.get(`${PROVIDER}/person`)!.def.contract as typeof PERSON_CONTRACT).servers[0]!.url).toBe('http://10.0.0.5/nocr');
  });

  it('reads serviceCode case-insensitively, the last one winning', () => {
    expect(getOpenApi(snapshot, PROVIDER, 'SERVICECODE=nobody&servicecode=person').status).toBe(200);
  });

  it('refuses a missing serviceCode with Client.BadRequest, and a service the provider does not offer with UnknownService', async () => {
    expect(await refusal(() => getOpenApi(snapshot, PROVIDER, ''))).toBe('Client.BadRequest');
    expect(await refusal(() => getOpenApi(snapshot, PROVIDER, 'serviceCode='))).toBe('Client.BadRequest');
    expect(await refusal(() => getOpenApi(snapshot, PROVIDER, 'serviceCode=nobody'))).toBe('Server.ServerProxy.UnknownService');
    // Another provider's name does not reach this provider's services.
    expect(await refusal(() => getOpenApi(snapshot, EMPTY_PROVIDER, 'serviceCode=person'))).toBe('Server.ServerProxy.UnknownService');
    expect(await refusal(() => getOpenApi(snapshot, STRANGER, 'serviceCode=person'))).toBe('Server.ServerProxy.UnknownService');
  });
});
