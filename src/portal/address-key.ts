// The rate-limit key of a remote address, shared by the portal's limit per address and the
// dashboard's limit of failed logins per address.

/** The key of a remote address: an IPv6 caller usually holds a whole /64. */
export function addressKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const bare = ip.split('%', 1)[0]!; // an interface zone is not part of the address
  if (!bare.includes(':')) return bare;
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(bare)) return bare.slice(7);
  const [head = '', tail = ''] = bare.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = bare.includes('::') ? [...h, ...new Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
