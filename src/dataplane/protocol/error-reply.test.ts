// The node's own errors as X-Road's REST protocol shapes them (PR-REST §4.6): JSON
// {type, message, detail}, or <error> in XML when the first XML media range of Accept asks for it.
import { describe, expect, it } from 'vitest';
import { Errors, TabadolError } from '../../errors/catalogue.ts';
import { errorBody, xmlTypeAsked } from './error-reply.ts';

describe('xmlTypeAsked', () => {
  it('answers JSON when Accept is absent or names no XML type', () => {
    for (const accept of [undefined, '', '*/*', 'application/json', 'text/plain', 'application/xhtml+xml', 'application/soap+xml', 'text/xmlx', 'image/*']) {
      expect(xmlTypeAsked(accept), String(accept)).toBeUndefined();
    }
  });

  it('answers the first XML type of Accept, parameters, q-values and case aside; text/* is text/xml', () => {
    expect(xmlTypeAsked('application/xml')).toBe('application/xml');
    expect(xmlTypeAsked('TEXT/XML; charset=utf-8')).toBe('text/xml');
    expect(xmlTypeAsked('text/*;q=0.1')).toBe('text/xml');
    expect(xmlTypeAsked('application/json, application/xml;q=0.1, text/xml')).toBe('application/xml');
    expect(xmlTypeAsked(' text/html , text/xml ')).toBe('text/xml');
  });
});

describe('errorBody', () => {
  const error = new TabadolError(Errors.AccessDenied, 'IR/GOV/POLICE/licensing may not call <x> & "y"');

  it('is JSON {type, message, detail} by default', () => {
    const e = errorBody(error, 'detail-1', undefined);
    expect(e.contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(e.body)).toEqual({ type: 'Server.ServerProxy.AccessDenied', message: error.message, detail: 'detail-1' });
  });

  it('is an <error> document in the XML type asked for, with markup in the message escaped', () => {
    const e = errorBody(error, 'detail-1', 'text/xml');
    expect(e.contentType).toBe('text/xml; charset=utf-8');
    expect(e.body).toContain('<type>Server.ServerProxy.AccessDenied</type>');
    expect(e.body).toContain('<detail>detail-1</detail>');
    expect(e.body).toContain('may not call &#60;x&#62; &#38; &#34;y&#34;</message>');
    expect(e.body.match(/</g)).toHaveLength(9); // the declaration and four elements, open and close
  });
});
