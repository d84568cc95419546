import { describe, expect, it } from 'vitest';
import { allowedBy, parseProviderHost, providerTarget, restrictedHost } from './provider-address.ts';

const own = new Set(['10.1.2.3', '[fd00::3]']);
const judge = (url: string) => restrictedHost(providerTarget(new URL(url)).host, own);

describe('provider addresses', () => {
  it.each([
    ['http://127.0.0.1:9/x', /loopback/],
    ['http://127.255.0.9/x', /loopback/],
    ['http://2130706433:9/x', /loopback/], // decimal
    ['http://0x7f.1:9/x', /loopback/], // hex, short form
    ['http://0177.0.0.1:9/x', /loopback/], // octal
    ['http://localhost:9/x', /localhost/],
    ['http://LOCALHOST./x', /localhost/],
    ['http://api.localhost/x', /localhost/],
    ['http://[::1]:9/x', /loopback/],
    ['http://[0:0:0:0:0:0:0:1]/x', /loopback/],
    ['http://[::ffff:127.0.0.1]/x', /loopback.*inside an IPv6/], // IPv4-mapped
    ['http://[::ffff:7f00:1]/x', /loopback.*inside an IPv6/],
    ['http://[::127.0.0.1]/x', /loopback.*inside an IPv6/], // IPv4-compatible
    ['http://[64:ff9b::127.0.0.1]/x', /loopback.*inside an IPv6/], // NAT64
    ['http://169.254.169.254/latest/meta-data', /link-local/],
    ['http://0xa9fea9fe/x', /link-local/],
    ['http://[::ffff:169.254.169.254]/x', /link-local/],
    ['http://[fe80::1]/x', /link-local/],
    ['http://[febf::1]/x', /link-local/],
    ['http://0.0.0.0:9/x', /this host/],
    ['http://0/x', /this host/],
    ['http://[::]:9/x', /this host/],
    ['http://10.1.2.3:9/x', /this machine/],
    ['http://[fd00::3]/x', /this machine/],
  ])('refuses %s', (url, reason) => {
    expect(judge(url)).toMatch(reason);
  });

  it.each([
    'http://10.0.0.5/api', 'https://nocr.gov.ir/api', 'http://[fd00::5]/x', 'http://[fec0::1]/x', 'http://128.0.0.1/x',
    'http://169.255.0.1/x', 'http://localhost.example/x', 'http://[::ffff:10.0.0.5]/x',
  ])('lets %s through (host names are not resolved)', (url) => {
    expect(judge(url)).toBeUndefined();
  });

  it('reads allow-list entries in the same normal form as targets', () => {
    expect(parseProviderHost('127.0.0.1:9090')).toEqual({ host: '127.0.0.1', port: 9090 });
    expect(parseProviderHost('0x7f.1')).toEqual({ host: '127.0.0.1', port: null });
    expect(parseProviderHost('LocalHost')).toEqual({ host: 'localhost', port: null });
    expect(parseProviderHost('[::1]:8080')).toEqual({ host: '[::1]', port: 8080 });
    expect(parseProviderHost('::ffff:127.0.0.1')).toEqual({ host: '[::ffff:7f00:1]', port: null });
    for (const bad of ['', 'a b', 'x/y', 'u@host', 'h:0', 'h:70000', 'h?q']) {
      expect(() => parseProviderHost(bad), bad).toThrow(/Admin|not valid|input/i);
    }
  });

  it('a host-only entry covers every port but the node\'s own; a HOST:PORT entry exactly that port', () => {
    const nodePorts = new Set([4000, 8443]);
    const target = (url: string) => providerTarget(new URL(url));
    expect(allowedBy([{ host: '127.0.0.1', port: null }], target('http://127.0.0.1:9090/'), nodePorts)).toBeDefined();
    expect(allowedBy([{ host: '127.0.0.1', port: null }], target('http://127.0.0.1:4000/'), nodePorts)).toBeUndefined();
    expect(allowedBy([{ host: '127.0.0.1', port: 9090 }], target('http://127.0.0.1:9091/'), nodePorts)).toBeUndefined();
    expect(allowedBy([{ host: '127.0.0.1', port: 80 }], target('http://2130706433/'), nodePorts)).toBeDefined();
    expect(allowedBy([{ host: 'localhost', port: null }], target('http://127.0.0.1:9090/'), nodePorts)).toBeUndefined();
  });
});
