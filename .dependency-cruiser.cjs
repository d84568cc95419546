// Tabadol's layering, checked on every `npm test` (docs/layering.md explains each rule). The folders
// the rules name live in layers.config.cjs, shared with eslint.config.js.
'use strict';
const { regex } = require('./layers.config.cjs');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'data-plane-not-to-store',
      comment:
        'The data plane runs on the verified snapshot in memory only: it reaches no registry store and ' +
        'no SQL driver, not even through another module (README "How it works").',
      severity: 'error',
      from: { path: regex('dataPlane'), pathNot: regex('tests') },
      to: { path: regex('store', 'storeDrivers'), reachable: true },
    },
    {
      name: 'data-plane-process-not-to-store',
      comment:
        'A data-plane process (src/node/data-plane.ts and all it loads) never opens the registry: it ' +
        'fetches the signed snapshot over HTTP from its control plane or the centre and verifies it. ' +
        '(It does use SQLite: for its own records.db, through src/records/.)',
      severity: 'error',
      from: { path: regex('dataPlaneProcess'), pathNot: regex('tests') },
      to: { path: regex('store'), reachable: true },
    },
    {
      name: 'data-plane-not-to-snapshot-signing-key',
      comment:
        'Keys are separate by purpose: no data plane loads the code that reads the snapshot-signing ' +
        'key, so a data plane taken over cannot sign a snapshot. It verifies with the public half.',
      severity: 'error',
      from: { path: regex('dataPlane', 'dataPlaneProcess'), pathNot: regex('tests') },
      to: { path: regex('snapshotSigningKey'), reachable: true },
    },
    {
      name: 'data-plane-not-to-ca-issuing',
      comment:
        'The request path never loads the code that holds or uses the CA\'s private key; it reads a ' +
        'peer certificate\'s subsystem binding from a module that does only that.',
      severity: 'error',
      from: { path: regex('dataPlane'), pathNot: regex('tests') },
      to: { path: regex('caIssuing'), reachable: true },
    },
    {
      name: 'simulated-agencies-stay-in-the-simulation',
      comment:
        'Only the simulation (agencies, demo, scenario), the benchmark and tests use the simulated ' +
        'agencies: the exchange never depends on synthetic data.',
      severity: 'error',
      from: { pathNot: regex('simulation', 'bench', 'tests') },
      to: { path: regex('simulatedAgencies') },
    },
    {
      name: 'exchange-never-loads-the-simulation',
      comment:
        'No module of the exchange reaches the simulation (agencies, demo, scenario) even through ' +
        'another module; only the command line starts it.',
      severity: 'error',
      from: { path: '^src/', pathNot: regex('simulation', 'commandLine', 'tests') },
      to: { path: regex('simulation'), reachable: true },
    },
    {
      name: 'command-line-loads-the-simulation-lazily',
      comment:
        'The command line imports the simulation inside the `demo` and `scenario` actions only ' +
        '(`await import(...)`; types are erased): every other command starts without evaluating it ' +
        'or building its synthetic population.',
      severity: 'error',
      from: { path: regex('commandLine'), pathNot: regex('tests') },
      to: { path: regex('simulation'), dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'no-circular',
      comment:
        'A cycle makes load order matter and turns two modules into one; break it by moving the ' +
        'shared part into a module both import. Type-only imports count: they couple modules too.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'product-not-to-tests',
      comment: 'Product code does not import tests or their fixtures.',
      severity: 'error',
      from: { pathNot: regex('tests', 'bench') },
      to: { path: regex('tests') },
    },
    {
      name: 'product-not-to-dev-dependencies',
      comment: 'A production install has no devDependencies, so product code may not load one.',
      severity: 'error',
      // The threads' bootstraps run only from the source (tests, `npm run dev`): compiled, a thread
      // starts from its .js in dist/ and the bootstrap is not shipped.
      from: { path: '^src/', pathNot: [...regex('tests'), '^src/records/writer-bootstrap\\.mjs$', '^src/tracker/tracker-bootstrap\\.mjs$', '^src/threads/source-bootstrap\\.mjs$'] },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to no file fails when it runs.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // See type-only imports too (a type import couples two layers as much as a value import does).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
