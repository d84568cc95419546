// listClients' two forms (PR-META §2, Annex A and C.1): X-Road's XML clientList and its JSON.
// Built once per snapshot, when it is compiled.
import { escapeXml } from './xml.ts';

export interface ClientEntry {
  id: { object_type: 'MEMBER' | 'SUBSYSTEM'; xroad_instance: string; member_class: string; member_code: string; subsystem_code?: string };
  name: string;
}

export interface ClientListBodies { json: string; xml: string }

function xml(entries: readonly ClientEntry[]): string {
  const members = entries.map(({ id, name }) => {
    const sub = id.subsystem_code === undefined ? '' : `<ns1:subsystemCode>${escapeXml(id.subsystem_code)}</ns1:subsystemCode>`;
    return `<ns2:member><ns2:id ns1:objectType="${id.object_type}"><ns1:xRoadInstance>${escapeXml(id.xroad_instance)}</ns1:xRoadInstance>`
      + `<ns1:memberClass>${escapeXml(id.member_class)}</ns1:memberClass><ns1:memberCode>${escapeXml(id.member_code)}</ns1:memberCode>${sub}</ns2:id>`
      + `<ns2:name>${escapeXml(name)}</ns2:name></ns2:member>`;
  });
  return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    + `<ns2:clientList xmlns:ns1="http://x-road.eu/xsd/identifiers" xmlns:ns2="http://x-road.eu/xsd/xroad.xsd">${members.join('')}</ns2:clientList>`;
}

export function clientListBodies(entries: readonly ClientEntry[]): ClientListBodies {
  return { json: JSON.stringify({ member: entries }), xml: xml(entries) };
}

/** What another instance's clients look like from here: none. */
export const NO_CLIENTS = clientListBodies([]);
