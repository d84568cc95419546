// The parts of Tabadol that the layering rules name, in one place: .dependency-cruiser.cjs (imports)
// and eslint.config.js (errors from the catalogue) both read them. When a folder moves, change it
// here only. A path ending in "/" is a folder; any other path is one file. docs/layering.md explains.
'use strict';

const parts = {
  // The product: what a node runs. The simulation and tests inside it are told apart below.
  product: ['src/'],
  // The request path: runs on the verified snapshot held in memory, nothing else.
  dataPlane: ['src/dataplane/'],
  // A data-plane process's composition root: what it runs is fetched over HTTP and verified
  // (src/snapshot/fetcher.ts), never read from the registry store.
  dataPlaneProcess: ['src/node/data-plane.ts'],
  // The registry store and whatever reads or writes it: the snapshot's publisher and the control
  // plane's publication (what the snapshot endpoint serves) read it.
  store: ['src/store/', 'src/registry/', 'src/snapshot/publish.ts', 'src/snapshot/publication.ts'],
  // What loads the snapshot-signing key: the control plane that publishes, no one else.
  snapshotSigningKey: ['src/keys/snapshot-signing-key.ts'],
  storeDrivers: ['node_modules/kysely/', 'node_modules/better-sqlite3/'],
  // The certificate authority's issuing code: what holds, loads or uses the CA's private key.
  caIssuing: [
    'src/identity/ca.ts', 'src/identity/certificates.ts', 'src/identity/x509.ts', 'src/identity/files.ts', 'src/identity/node-certificates.ts',
    'node_modules/@peculiar/',
  ],
  // Simulated provider agencies: synthetic data behind real-looking contracts, never product.
  simulatedAgencies: ['src/simulation/agencies/'],
  // What runs the simulation rather than the exchange: the agencies, the demo and the 1399 scenario
  // (src/simulation/README.md).
  simulation: ['src/simulation/'],
  // The command line: the one entry point that may start the simulation (`tabadol demo`, `scenario`).
  commandLine: ['src/cli/'],
  // The benchmark harness: measures the product, is not shipped as part of it.
  bench: ['bench/'],
  // Tests and their fixtures.
  tests: ['test/', '**/*.test.ts', 'src/simulation/agencies/agency-test-kit.ts', 'src/dataplane/test-kit.ts'],
};

const escape = (s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** dependency-cruiser paths are regular expressions over paths relative to the repository. */
function toRegex(path) {
  // A package may resolve through a symbolic link (a linked or hoisted node_modules).
  if (path.startsWith('node_modules/')) return `(^|/)${escape(path)}`;
  if (path.startsWith('**/')) return `(^|/)${escape(path.slice(3)).replace(/\*/g, '[^/]*')}$`;
  return path.endsWith('/') ? `^${escape(path)}` : `^${escape(path)}$`;
}

/** ESLint paths are globs relative to the repository. */
function toGlob(path) {
  return path.endsWith('/') ? `${path}**` : path;
}

const regex = (...names) => names.flatMap((n) => parts[n].map(toRegex));
const globs = (...names) => names.flatMap((n) => parts[n].map(toGlob));

module.exports = { parts, regex, globs };
