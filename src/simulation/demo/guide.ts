// What the demo prints: where things are and ready commands to try.
import path from 'node:path';
import type { RunningNode } from '../../node/node.ts';
import { DEMO_PLATE } from '../agencies/synthetic-vehicles.ts';
import { DEMO_CITIZEN } from '../agencies/synthetic.ts';

/** The demo citizen (علی رضایی) of the sample inquiries and of the citizen page. */
const DEMO_NATIONAL_CODE = DEMO_CITIZEN.nationalCode;

/** An address to type in a browser: a wildcard bind is reached on localhost, IPv6 in brackets. */
const hostOf = (h: string) => (h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h.includes(':') ? `[${h}]` : h);

export function demoGuide(o: {
  node: RunningNode; agencyPort: number; certs: Record<string, string>;
  providerHosts?: { entry: string; note: string }[]; allowedNow?: string[];
  /** Why the citizen page's stand-in login is off, when it is. */
  standInOff?: string | undefined;
  /** DEMO ONLY accounts of the dashboard, with their passwords. */
  accounts?: readonly { username: string; role: string; password: string }[];
}): string {
  const { node } = o;
  const data = node.config.dataDir;
  const judiciary = 'IR/GOV/JUDICIARY/case-management';
  const police = 'IR/GOV/POLICE/licensing';
  const person = `/r1/IR/GOV/NOCR/identity/person/persons/${DEMO_NATIONAL_CODE}?birthDate=1370/06/15`;
  const address = '/r1/IR/GOV/POST/address/address/addresses/1193653471';
  const marital = `/r1/IR/GOV/NOCR/identity/marital/persons/${DEMO_NATIONAL_CODE}/marital-status`;
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
  const portal = node.ports.portal !== null ? `http://${hostOf(node.config.portalHost)}:${node.ports.portal}` : null;
  if (portal !== null) {
    lines.push(`  dashboard      ${portal}/dashboard  (operators, working group, inspectors: log in below)`);
    lines.push(`  open data      ${portal}/open-data/catalog.json  (public, read-only)`);
  }
  const citizen = portal !== null && node.config.citizenStandIn !== null ? `${portal}/citizen` : null;
  if (citizen !== null) lines.push(`  citizen page   ${citizen}  (SIMULATED national login: a development stand-in; English: ${citizen}?lang=en)`);
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
  if (portal !== null && o.accounts?.length) {
    lines.push(`The dashboard (${portal}/dashboard): DEMO accounts, DEMO-ONLY passwords (a real node has none; tabadol user add):`);
    for (const a of o.accounts) lines.push(`  ${a.username.padEnd(10)} ${a.password.padEnd(20)} role ${a.role}`);
    lines.push('');
  }
  if (citizen !== null) {
    lines.push(
      'Who looked me up (the citizen page; its national login is SIMULATED, for development only):',
      `  make an inquiry about the demo citizen (the first curl above), then open ${citizen}`,
      `  and enter the demo citizen's national code ${DEMO_NATIONAL_CODE}: the judiciary's inquiry is listed, with its purpose`,
      '',
    );
  } else if (o.standInOff) {
    lines.push(`The citizen page is off: ${o.standInOff}.`, '');
  }
  lines.push(`Verify the records: npm run tabadol -- --data ${data} audit verify`, 'Stop with Ctrl-C.', '');
  return lines.join('\n');
}
