// Errors made by the exchange itself, as X-Road's REST protocol shapes them: header X-Road-Error,
// body {type, message, detail} in JSON, or <error> in XML when the caller's Accept asks for XML.
import type { TabadolError } from '../../errors/catalogue.ts';

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function wantsXml(accept: string | undefined): boolean {
  return accept !== undefined && /xml/i.test(accept) && !/json/i.test(accept);
}

export function errorBody(error: TabadolError, detail: string, xml: boolean): { contentType: string; body: string } {
  if (xml) {
    return {
      contentType: 'application/xml; charset=utf-8',
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<error><type>${escapeXml(error.type)}</type><message>${escapeXml(error.message)}</message><detail>${detail}</detail></error>`,
    };
  }
  return {
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({ type: error.type, message: error.message, detail }),
  };
}
