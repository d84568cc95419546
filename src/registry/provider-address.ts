// Where a provider may live. The node calls a service's base URL from inside the operator's
// network, so a base URL is a way to make the node send requests somewhere: to itself (its admin
// API, its own data ports: a loop), to the machine it runs on, or to link-local addresses (cloud
// metadata services answer on 169.254.169.254). Such base URLs are refused at registration unless
// the operator's allow-list (the registry's provider hosts) names the host.
//
// Hosts are judged in the form WHATWG URL parsing gives them, which already turns decimal, hex and
// octal IPv4 spellings (`2130706433`, `0x7f.1`, `0177.0.0.1`) into dotted decimal and writes IPv6
// in its compressed hex form; IPv4-mapped, IPv4-compatible and NAT64 IPv6 addresses are judged by
// the IPv4 address inside them. Host names are NOT resolved at registration (a name can resolve
// elsewhere tomorrow); only `localhost` and names under `.localhost` (RFC 6761 §6.3) are known.
import { isIPv4 } from 'node:net';
import { networkInterfaces } from 'node:os';
import { Errors, fail } from '../errors/catalogue.ts';

export interface ProviderTarget {
  /** As URL parsing normalises it, without a trailing dot; IPv6 in brackets. */
  host: string;
  port: number;
}

export interface ProviderHostEntry {
  host: string;
  /** null: every port except the node's own. */
  port: number | null;
}

/** The host and port a base URL makes the node connect to. */
export function providerTarget(url: URL): ProviderTarget {
  return { host: normaliseHostname(url.hostname), port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80 };
}

function normaliseHostname(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

function ipv4Problem(a: string): string | undefined {
  const [first, second] = a.split('.').map(Number) as [number, number];
  if (first === 127) return 'a loopback address (127.0.0.0/8)';
  if (first === 169 && second === 254) return 'a link-local address (169.254.0.0/16)';
  // RFC 1122 §3.2.1.3: 0.0.0.0/8 means "this host on this network"; connecting to it reaches the node.
  if (first === 0) return 'this host (0.0.0.0/8)';
  return undefined;
}

/** The eight 16-bit words of an IPv6 address in the compressed hex form URL parsing writes. */
function ipv6Words(address: string): number[] | undefined {
  const [head, tail] = address.includes('::') ? address.split('::') as [string, string] : [address, undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const words = [...h, ...Array<string>(Math.max(fill, 0)).fill('0'), ...t].map((w) => (/^[0-9a-f]{1,4}$/.test(w) ? parseInt(w, 16) : NaN));
  return words.length === 8 && words.every((w) => !Number.isNaN(w)) ? words : undefined;
}

function ipv6Problem(address: string): string | undefined {
  const w = ipv6Words(address);
  if (!w) return 'an IPv6 address that cannot be read';
  const zeroUpTo = (n: number) => w.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'this host (::)';
  if (zeroUpTo(7) && w[7] === 1) return 'a loopback address (::1)';
  if ((w[0]! & 0xffc0) === 0xfe80) return 'a link-local address (fe80::/10)';
  const v4 = () => `${w[6]! >> 8}.${w[6]! & 0xff}.${w[7]! >> 8}.${w[7]! & 0xff}`;
  // ::ffff:a.b.c.d (RFC 4291 §2.5.5.2), ::a.b.c.d (§2.5.5.1, deprecated), 64:ff9b::a.b.c.d (RFC 6052 §2.1).
  const embedsV4 = (zeroUpTo(5) && (w[5] === 0xffff || w[5] === 0)) || (w[0] === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((x) => x === 0));
  if (embedsV4) {
    const inner = ipv4Problem(v4());
    if (inner) return `${inner}, inside an IPv6 address`;
  }
  return undefined;
}

/** This machine's own addresses, in the same normal form as a target host. */
export function ownAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      const address = a.address.split('%')[0]!;
      out.add(a.family === 'IPv6' || address.includes(':') ? normaliseHostname(new URL(`http://[${address}]`).hostname) : address);
    }
  }
  return out;
}

/**
 * Why the node must not call this host without the operator's say-so, or undefined when it may.
 * `own` is this machine's addresses (see ownAddresses).
 */
export function restrictedHost(host: string, own: ReadonlySet<string>): string | undefined {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'a loopback name (localhost, RFC 6761 §6.3)';
  if (host.startsWith('[')) return ipv6Problem(host.slice(1, -1)) ?? (own.has(host) ? 'an address of this machine' : undefined);
  if (isIPv4(host)) return ipv4Problem(host) ?? (own.has(host) ? 'an address of this machine' : undefined);
  return undefined;
}

/** Whether an allow-list entry lets the node call this target. A host-only entry never covers the node's own ports. */
export function allowedBy(entries: readonly ProviderHostEntry[], target: ProviderTarget, nodePorts: ReadonlySet<number>): ProviderHostEntry | undefined {
  return entries.find((e) => e.host === target.host && (e.port === target.port || (e.port === null && !nodePorts.has(target.port))));
}

/** Reads `HOST[:PORT]` (IPv6 in brackets, or bare without a port) into the form targets are compared in. */
export function parseProviderHost(text: string): ProviderHostEntry {
  const raw = text.trim();
  let hostPart = raw;
  let port: number | null = null;
  const m = /^(\[[^\]]*\]|[^:]*):(\d{1,5})$/.exec(raw);
  if (m) {
    hostPart = m[1]!;
    port = Number(m[2]);
    if (port < 1 || port > 65535) fail(Errors.InvalidInput, `port must be 1 to 65535: ${m[2]}`);
  } else if (raw.includes(':') && !raw.startsWith('[')) {
    hostPart = `[${raw}]`; // a bare IPv6 address
  }
  let url: URL;
  try {
    url = new URL(`http://${hostPart}/`);
  } catch {
    return fail(Errors.InvalidInput, `not a host name or address: ${JSON.stringify(raw)}`);
  }
  if (hostPart === '' || url.username || url.password || url.port || url.pathname !== '/' || url.search || url.hash) {
    fail(Errors.InvalidInput, `expected HOST or HOST:PORT: ${JSON.stringify(raw)}`);
  }
  return { host: normaliseHostname(url.hostname), port };
}

export function formatProviderHost(e: ProviderHostEntry): string {
  return e.port === null ? e.host : `${e.host}:${e.port}`;
}
