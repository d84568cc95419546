// Header rules of X-Road's message protocol for REST: the X-Road request headers read from the raw
// list (the last of a repeated one wins, every value bounded), X-Road-Request-Hash in the layout of
// X-Road's RestRequest, and the provider's headers as they go back to the consumer.
import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { consumerResponseHeaders, MAX_XROAD_HEADER, readXRoadHeaders, requestHash } from './headers.ts';

describe('readXRoadHeaders', () => {
  it('reads each X-Road request header, whatever the case of its name, and ignores the rest', () => {
    expect(readXRoadHeaders([
      'x-road-client', 'IR/GOV/A/b', 'X-ROAD-ID', 'id-1', 'X-Road-UserId', 'judge-1', 'x-road-issue', 'case 7',
      'X-Road-Represented-Party', 'COM/123', 'X-Road-Security-Server', 'IR/GOV/A/ss1', 'X-Roads-Client', 'no', 'Accept', 'x',
      'X-Road-Request-Id', 'rid', 'X-Road-Request-Hash', 'h',
    ])).toEqual({
      client: 'IR/GOV/A/b', id: 'id-1', userId: 'judge-1', issue: 'case 7', representedParty: 'COM/123', securityServer: 'IR/GOV/A/ss1', tooLong: undefined,
      // Read for the provider half only (a routed exchange keeps its consumer node's); the door makes its own.
      requestId: 'rid', requestHash: 'h',
    });
    expect(readXRoadHeaders([])).toMatchObject({ client: undefined, id: undefined, tooLong: undefined });
  });

  it('takes the last of a repeated header, which a joined header object cannot tell', () => {
    expect(readXRoadHeaders(['X-Road-Client', 'IR/GOV/A/first', 'x-road-client', 'IR/GOV/B/last']).client).toBe('IR/GOV/B/last');
    expect(readXRoadHeaders(['X-Road-UserId', 'a', 'X-Road-UserId', 'b']).userId).toBe('b');
  });

  it('bounds every X-Road value at 255 characters: a longer one is named, and its value is kept nowhere', () => {
    const edge = 'x'.repeat(MAX_XROAD_HEADER);
    expect(readXRoadHeaders(['X-Road-UserId', edge])).toMatchObject({ userId: edge, tooLong: undefined });
    const h = readXRoadHeaders(['X-Road-Issue', 'y'.repeat(256), 'X-Road-UserId', 'z'.repeat(300), 'X-Road-Client', 'IR/GOV/A/b']);
    expect(h).toMatchObject({ issue: undefined, userId: undefined, client: 'IR/GOV/A/b', tooLong: 'x-road-issue' });
    // Any X-Road-* header counts, not only the ones the node reads.
    expect(readXRoadHeaders(['X-Road-Anything', 'w'.repeat(256)]).tooLong).toBe('x-road-anything');
    // An over-long repetition never becomes the value; it is named, so the door refuses the request.
    expect(readXRoadHeaders(['X-Road-Client', 'IR/GOV/A/b', 'X-Road-Client', 'c'.repeat(256)])).toMatchObject({ client: 'IR/GOV/A/b', tooLong: 'x-road-client' });
  });
});

describe('requestHash', () => {
  // The layout, written out independently of the implementation (PR-REST §4.3, X-Road's RestRequest).
  const sha512 = (b: Buffer | string) => hash('sha512', typeof b === 'string' ? Buffer.from(b, 'latin1') : b, 'buffer');
  const head = 'POST\r\n/r1/IR/GOV/NOCR/identity/person/verify?x=1\r\nContent-Type:application/json\r\nX-Road-Client:IR/GOV/A/b\r\nx-road-request-id:req-1\r\n';
  const raw = ['Host', 'node:8443', 'Content-Type', 'application/json', 'Connection', 'keep-alive', 'X-Road-Client', 'IR/GOV/A/b',
    'Content-Length', '2', 'User-Agent', 'curl', 'X-Road-Request-Id', 'client-made', 'X-Road-Request-Hash', 'client-made'];

  it('is base64(SHA-512(SHA-512(head) ‖ SHA-512(body))) over the request line, the end-to-end headers as sent and the node\'s request id', () => {
    const body = Buffer.from('{}');
    const expected = sha512(Buffer.concat([sha512(head), sha512(body)])).toString('base64');
    expect(requestHash('POST', '/r1/IR/GOV/NOCR/identity/person/verify?x=1', raw, 'req-1', undefined, body)).toBe(expected);
  });

  it('is base64(SHA-512(head)) without a body, with the X-Road-Id the node made appended', () => {
    expect(requestHash('POST', '/r1/IR/GOV/NOCR/identity/person/verify?x=1', raw, 'req-1', undefined, Buffer.alloc(0))).toBe(sha512(head).toString('base64'));
    expect(requestHash('POST', '/r1/IR/GOV/NOCR/identity/person/verify?x=1', raw, 'req-1', 'IR-made', Buffer.alloc(0)))
      .toBe(sha512(head + 'x-road-id:IR-made\r\n').toString('base64'));
  });

  it('hashes the header bytes as received: a latin1 string is one byte per character', () => {
    const value = 'caf\u00e9'; // one byte 0xE9 on the wire
    const h = requestHash('GET', '/r1/x', ['X-Note', value], 'r', undefined, Buffer.alloc(0));
    expect(h).toBe(sha512(Buffer.concat([Buffer.from('GET\r\n/r1/x\r\nX-Note:caf'), Buffer.from([0xe9]), Buffer.from('\r\nx-road-request-id:r\r\n')])).toString('base64'));
  });

  it('binds the answer to one request: another request id, body, header order, case or target gives another hash', () => {
    const base = () => requestHash('GET', '/r1/x?a=1', ['A', '1', 'B', '2'], 'r1', undefined, Buffer.from('b'));
    const variants = [
      requestHash('GET', '/r1/x?a=1', ['A', '1', 'B', '2'], 'r2', undefined, Buffer.from('b')),
      requestHash('GET', '/r1/x?a=1', ['A', '1', 'B', '2'], 'r1', undefined, Buffer.from('c')),
      requestHash('GET', '/r1/x?a=1', ['B', '2', 'A', '1'], 'r1', undefined, Buffer.from('b')),
      requestHash('GET', '/r1/x?a=1', ['a', '1', 'B', '2'], 'r1', undefined, Buffer.from('b')),
      requestHash('GET', '/r1/x?a=2', ['A', '1', 'B', '2'], 'r1', undefined, Buffer.from('b')),
      requestHash('PUT', '/r1/x?a=1', ['A', '1', 'B', '2'], 'r1', undefined, Buffer.from('b')),
    ];
    expect(base()).toBe(base());
    expect(new Set([base(), ...variants]).size).toBe(variants.length + 1);
  });
});

describe('consumerResponseHeaders', () => {
  it('drops hop-by-hop headers and every X-Road-* header of the provider, keeping the rest in order', () => {
    expect(consumerResponseHeaders([
      'Content-Type', 'application/json', 'Connection', 'close', 'Transfer-Encoding', 'chunked', 'Content-Length', '9', 'Keep-Alive', 'timeout=5',
      'Server', 'nginx/1.2', 'X-Road-Client', 'IR/GOV/OTHER/spoofed', 'X-Road-Request-Hash', 'spoofed', 'X-Road-Error', 'Server.Fake',
      'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Location', '/x',
    ])).toEqual(['content-type', 'application/json', 'set-cookie', 'a=1', 'set-cookie', 'b=2', 'location', '/x']);
  });
});
