// What the demo prints: where things are and ready commands to try.
import path from 'node:path';
import type { RunningNode } from '../../node/node.ts';
import { DEMO_PLATE } from '../agencies/synthetic-vehicles.ts';

/** An address to type in a browser: a wildcard bind is reached on localhost, IPv6 in brackets. */
const hostOf = (h: string) => (h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h.includes(':') ? `[${h}]` : h);

export function demoGuide(o: {
  node: RunningNode; agencyPort: number; certs: Record<string, string>;
  providerHosts?: { entry: string; note: string }[]; allowedNow?: string[];
}): string {
  const { node } = o;
  const data = node.config.dataDir;
  const judiciary = 'IR/GOV/JUDICIARY/case-management';
  const police = 'IR/GOV/POLICE/licensing';
  const person = '/r1/IR/GOV/NOCR/identity/person/persons/0012345679?birthDate=1370/06/15';
  const address = '/r1/IR/GOV/POST/address/address/addresses/1193653471';
  const marital = '/r1/IR/GOV/NOCR/identity/marital/persons/0012345679/marital-status';
  const vehicle = '/r1/IR/GOV/POLICE/traffic/vehicle/vehicles/inquiry';
  const province = '/r1/IR/GOV/SCI/divisions/provinces/provinces/23';
  const lines = [
    '',
    'Tabadol demo node is running (instance IR). The provider agencies are SIMULATED, with synthetic data.',
    '',
    `  admin API      http://127.0.0.1:${node.ports.admin}  (bearer token in ${path.join(data, 'keys', 'admin-token')})`,
    `  metrics        curl -H "Authorization: Bearer $(cat ${path.join(data, 'keys', 'admin-token')})" http://127.0.0.1:${node.ports.admin}/metrics`,
  ];
  if (node.ports.tls !== null) lines.push(`  data (mTLS)    https://localhost:${node.ports.tls}`);
  if (node.ports.http !== null) lines.push(`  data (HTTP)    http://127.0.0.1:${node.ports.http}  (development convenience, localhost only)`);
  if (node.ports.portal !== null) lines.push(`  portal         http://${hostOf(node.config.portalHost)}:${node.ports.portal}/open-data/catalog.json  (public, read-only: open data)`);
  lines.push(`  agencies       http://127.0.0.1:${o.agencyPort}  (simulated)`, '');
  if (o.providerHosts?.length) {
    // Loopback providers are refused unless allowed; the demo's own entry is shown, not hidden.
    lines.push('Provider hosts allowed although local (tabadol provider-hosts list):');
    for (const h of o.providerHosts) lines.push(`  ${h.entry.padEnd(22)} ${h.note}${o.allowedNow?.includes(h.entry) ? '  (added now by the demo)' : ''}`);
    lines.push('');
  }
  if (node.ports.http !== null) {
    lines.push(
      'Try (plain HTTP, development port):',
      `  curl -s -H 'X-Road-Client: ${judiciary}' -H 'X-Road-UserId: judge-1' -H 'X-Road-Issue: case 1403-123' 'http://127.0.0.1:${node.ports.http}${person}'`,
      `  curl -s -H 'X-Road-Client: ${police}' 'http://127.0.0.1:${node.ports.http}${address}'    # refused: no access right`,
      `  curl -s -H 'X-Road-Client: ${judiciary}' 'http://127.0.0.1:${node.ports.http}${marital}'    # marriage and divorce`,
      `  curl -s -H 'X-Road-Client: ${police}' -H 'content-type: application/json' -d '{"plate":"${DEMO_PLATE}"}' 'http://127.0.0.1:${node.ports.http}${vehicle}'`,
      `  curl -s -H 'X-Road-Client: IR/COM/SAMAN/kyc' 'http://127.0.0.1:${node.ports.http}${province}'    # open to every subsystem`,
      `  curl -s -H 'X-Road-Client: ${judiciary}' 'http://127.0.0.1:${node.ports.http}/r1/IR/GOV/POST/address/allowedMethods'`,
      '',
    );
  }
  if (node.ports.tls !== null && node.tls) {
    const dir = o.certs[judiciary];
    lines.push(
      'With the client certificate of the judiciary (mutual TLS):',
      `  curl -s --cacert ${node.tls.caCertPath} --cert ${dir}/cert.pem --key ${dir}/key.pem -H 'X-Road-Client: ${judiciary}' 'https://localhost:${node.ports.tls}${person}'`,
      'Without a client certificate (refused with Client.SslAuthenticationFailed):',
      `  curl -s --cacert ${node.tls.caCertPath} -H 'X-Road-Client: ${judiciary}' 'https://localhost:${node.ports.tls}${person}'`,
      '',
      'Certificates:',
      `  CA             ${node.tls.caCertPath}`,
      ...Object.entries(o.certs).map(([s, d]) => `  ${s.padEnd(36)} ${d}/cert.pem, key.pem`),
      '',
    );
  }
  lines.push(`Verify the records: npm run tabadol -- --data ${data} audit verify`, 'Stop with Ctrl-C.', '');
  return lines.join('\n');
}
