// Errors made by the exchange itself, as X-Road's REST protocol shapes them (PR-REST §4.6): header
// X-Road-Error, body {type, message, detail} in JSON, or <error> in XML when the caller's Accept asks
// for XML.
import type { TabadolError } from '../../errors/catalogue.ts';
import { escapeXml } from './xml.ts';

// As X-Road's client proxy decides (ClientRestMessageHandler): the first media range of Accept that
// is one of these, parameters and q-values aside, asks for XML; `text/*` means text/xml. Anything
// else, or no Accept, gets JSON.
const XML_TYPES = new Map([['text/xml', 'text/xml'], ['application/xml', 'application/xml'], ['text/*', 'text/xml']]);

/** The XML media type the caller asked for, or undefined for JSON. */
export function xmlTypeAsked(accept: string | undefined): string | undefined {
  if (accept === undefined || !/xml|text\/\*/i.test(accept)) return undefined;
  for (const range of accept.split(',')) {
    const semi = range.indexOf(';');
    const type = XML_TYPES.get((semi === -1 ? range : range.slice(0, semi)).trim().toLowerCase());
    if (type) return type;
  }
  return undefined;
}

export function errorBody(error: TabadolError, detail: string, xmlType: string | undefined): { contentType: string; body: string } {
  if (xmlType) {
    return {
      contentType: `${xmlType}; charset=utf-8`,
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<error><type>${escapeXml(error.type)}</type><message>${escapeXml(error.message)}</message><detail>${detail}</detail></error>`,
    };
  }
  return {
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({ type: error.type, message: error.message, detail }),
  };
}
