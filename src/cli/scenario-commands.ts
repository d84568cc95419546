// `tabadol scenario …`: the 1399 scenario (src/simulation/scenario/README.md). `load` writes its
// registry into the data directory, `agencies` serves its 56 simulated providers, `run` sends the
// report's traffic mix through a running node (serving the agencies itself unless told they run
// elsewhere), `history` writes the statistics of 1392–1399 and raw records of 1399, `country` spreads
// the year's traffic over the provinces and tells what the central node carries.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { Errors, fail } from '../errors/catalogue.ts';
// Types only: the simulation's modules are imported inside the actions (`await import`), so that no
// other command evaluates them or builds their synthetic population.
import type { BehaviourTable } from '../simulation/scenario/options.ts';
import type { RunningScenarioAgencies } from '../simulation/scenario/agency-server.ts';
import { globals, print, runOf, withRegistry } from './context.ts';
import { stopOnSignals } from './node-commands.ts';

const DEFAULT_AGENCY_PORT = '9090';

function positiveInt(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) fail(Errors.InvalidInput, `${name} must be a positive integer, got ${JSON.stringify(v)}`);
    return n;
  };
}

function nonNegativeInt(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) fail(Errors.InvalidInput, `${name} must be a whole number, got ${JSON.stringify(v)}`);
    return n;
  };
}

interface BehaviourFlags { behaviour?: string; latencyMs?: string; failureRate?: string }

/** The agencies' behaviour from --behaviour (a JSON table by member code) and the flags for all. */
async function behaviourFrom(o: BehaviourFlags): Promise<BehaviourTable | undefined> {
  const table: Record<string, unknown> = {};
  if (o.behaviour) {
    try {
      Object.assign(table, JSON.parse(await readFile(o.behaviour, 'utf8')));
    } catch (e) {
      fail(Errors.InvalidInput, `cannot read the behaviour table ${o.behaviour}: ${(e as Error).message}`);
    }
  }
  if (o.latencyMs !== undefined || o.failureRate !== undefined) {
    const all = (table['*'] ?? {}) as Record<string, unknown>;
    table['*'] = {
      ...all,
      ...(o.latencyMs !== undefined ? { latency: { medianMs: Number(o.latencyMs), p95Ms: Number(o.latencyMs) * 3 } } : {}),
      ...(o.failureRate !== undefined ? { failureRate: Number(o.failureRate) } : {}),
    };
  }
  const { parseBehaviourTable } = await import('../simulation/scenario/options.ts');
  return Object.keys(table).length > 0 ? parseBehaviourTable(table) : undefined;
}

function withBehaviourFlags(cmd: Command): Command {
  return cmd
    .option('--population <seed>', 'seed of the synthetic population the agencies answer from (default: the demo\'s)')
    .option('--behaviour <file>', 'JSON table of latency and failure rate per agency (see src/simulation/scenario/README.md)')
    .option('--latency-ms <ms>', 'median latency of every agency not in the table (95th percentile three times it)')
    .option('--failure-rate <share>', 'share of calls every agency not in the table answers 503, 0–1');
}

async function serve(o: BehaviourFlags & { population?: string }, port: number): Promise<RunningScenarioAgencies> {
  const { buildScenario } = await import('../simulation/scenario/scenario.ts');
  const { startScenarioAgencies } = await import('../simulation/scenario/agency-server.ts');
  try {
    return await startScenarioAgencies(buildScenario(o.population), { port, behaviour: await behaviourFrom(o) });
  } catch (e) {
    if ((e as { code?: string }).code === 'EADDRINUSE') {
      fail(Errors.InvalidInput, `port ${port} is in use: are the scenario agencies already running? Then pass --no-agencies`);
    }
    throw e;
  }
}

export function registerScenarioCommands(program: Command): void {
  const scenario = program.command('scenario').description('the 1399 scenario: 56 simulated agencies, 961 services and the report\'s traffic mix');

  scenario.command('load').description('write the scenario\'s registry (providers, services, consumers, rights, provinces) into the data directory')
    .option('--agencies-url <url>', 'where the scenario agencies are served', `http://127.0.0.1:${DEFAULT_AGENCY_PORT}`)
    .action(async (o: { agenciesUrl: string }, cmd: Command) => {
      const { buildScenario } = await import('../simulation/scenario/scenario.ts');
      const { loadScenario } = await import('../simulation/scenario/load.ts');
      const started = performance.now();
      const summary = await withRegistry(cmd, (r) => loadScenario(r, buildScenario(), o.agenciesUrl, 'cli'));
      print(cmd, { ...summary, agenciesUrl: o.agenciesUrl, seconds: Number(((performance.now() - started) / 1000).toFixed(2)) });
    });

  withBehaviourFlags(scenario.command('agencies').description('serve the scenario\'s simulated agencies until stopped'))
    .option('--port <port>', 'port on 127.0.0.1', DEFAULT_AGENCY_PORT)
    .action(async (o: BehaviourFlags & { population?: string; port: string }, cmd: Command) => {
      const agencies = await serve(o, Number(o.port));
      runOf(cmd).out(`Scenario agencies (SIMULATED) at ${agencies.url}; stop with Ctrl-C.\n`);
      stopOnSignals(() => agencies.close());
    });

  scenario.command('history').description('write the statistics of Jalali years 1392–1399 as the 1399 report gives them, and raw records over 1399, into records.db (once)')
    .option('--records <n>', 'raw records over 1399, through the record writer', nonNegativeInt('--records'), 10_000_000)
    .option('--scale <share>', 'multiply every year\'s inquiries (0–1], for a small history of the same shape', '1')
    .option('--json', 'print the summary as JSON')
    .action(async (o: { records: number; scale: string; json?: boolean }, cmd: Command) => {
      const { buildScenario } = await import('../simulation/scenario/scenario.ts');
      const { writeHistory } = await import('../simulation/scenario/history.ts');
      const g = globals(cmd);
      const scale = Number(o.scale);
      if (!(scale > 0 && scale <= 1)) fail(Errors.InvalidInput, `--scale must be above 0 and at most 1, got ${JSON.stringify(o.scale)}`);
      const bar = new cliProgress.SingleBar({
        format: 'history {phase} |{bar}| {value}/{total} {unit} | {duration}s', hideCursor: true,
      }, cliProgress.Presets.shades_classic);
      let phase: string | undefined;
      try {
        const summary = await writeHistory({
          dataDir: g.data, instance: g.instance, scenario: buildScenario(), records: o.records, scale,
          onProgress: (p, done, total) => {
            if (p !== phase) {
              if (phase) bar.stop();
              phase = p;
              bar.start(total, done, { phase: p === 'rollups' ? '1392–1399 rollups' : '1399 raw records', unit: p === 'rollups' ? 'days' : 'records' });
            } else bar.update(done);
          },
        });
        bar.stop();
        if (o.json) print(cmd, summary);
        else {
          runOf(cmd).out(`${summary.years.map((y) => `${y.year}: ${y.inquiries.toLocaleString('en-US')} inquiries, ${y.providers} providers, ${y.services} services`).join('\n')}\n`
            + `${summary.rawRecords.toLocaleString('en-US')} raw records on chain ${summary.chainId}; ${summary.keys} keys, ${summary.rows.day.toLocaleString('en-US')} day and `
            + `${summary.rows.month.toLocaleString('en-US')} month rows written directly; records.db ${(summary.bytes / 1e6).toFixed(0)} MB; ${summary.seconds} s\n`);
        }
      } finally {
        bar.stop();
      }
    });

  scenario.command('country').description('the 1399 traffic spread over the 31 provinces: the share the central node carries with and without provincial nodes')
    .option('--inquiries <n>', 'inquiries of the year', positiveInt('--inquiries'), 1_300_000_000)
    .option('--spread <how>', 'how inquiries arise over the provinces: population (1395 census) or equal', 'population')
    .option('--provincial <list>', 'categories or member codes with an office on every province\'s node (none for no agency)', 'judicial,vehicle,address,property,utilities')
    .option('--national <list>', 'member codes or categories homed at the centre whatever their category', 'TEHRAN-MUNICIPALITY')
    .option('--local-share <share>', 'of inquiries between provincial agencies, the share that stays in the province, 0–1', '0.6')
    .option('--top <n>', 'provinces listed, busiest first', nonNegativeInt('--top'), 5)
    .option('--json', 'print the answer as JSON')
    .action(async (o: { inquiries: number; spread: string; provincial: string; national: string; localShare: string; top: number; json?: boolean }, cmd: Command) => {
      const { buildScenario } = await import('../simulation/scenario/scenario.ts');
      const { simulateCountry, countryText, parseAgencyList } = await import('../simulation/scenario/country.ts');
      const scenarioData = buildScenario();
      const localShare = o.localShare.trim() === '' ? Number.NaN : Number(o.localShare);
      if (o.spread !== 'population' && o.spread !== 'equal') fail(Errors.InvalidInput, `--spread must be population or equal, got ${JSON.stringify(o.spread)}`);
      const answer = simulateCountry(scenarioData, {
        inquiries: o.inquiries, spread: o.spread, localShare, top: o.top,
        provincial: parseAgencyList('--provincial', o.provincial, scenarioData),
        national: parseAgencyList('--national', o.national, scenarioData),
      });
      if (o.json) print(cmd, answer);
      else runOf(cmd).out(countryText(answer));
    });

  withBehaviourFlags(scenario.command('run').description('send the report\'s traffic mix through a running node'))
    .requiredOption('--count <n>', 'number of inquiries', positiveInt('--count'))
    .option('--url <url>', 'the node\'s plain-HTTP data port', 'http://127.0.0.1:8080')
    .option('--concurrency <n>', 'inquiries in flight at once', positiveInt('--concurrency'), 32)
    .option('--seed <seed>', 'seed of the traffic: the same seed sends the same inquiries', '1399')
    .option('--agencies-port <port>', 'serve the agencies here for the run (the port `scenario load` registered)', DEFAULT_AGENCY_PORT)
    .option('--no-agencies', 'do not serve the agencies: they run elsewhere (`scenario agencies`)')
    .option('--json', 'print the summary as JSON')
    .action(async (o: BehaviourFlags & { population?: string; count: number; url: string; concurrency: number; seed: string; agenciesPort: string; agencies: boolean; json?: boolean }, cmd: Command) => {
      const { buildScenario } = await import('../simulation/scenario/scenario.ts');
      const { buildMix } = await import('../simulation/scenario/mix.ts');
      const { runScenario } = await import('../simulation/scenario/run.ts');
      const { formatSummary } = await import('../simulation/scenario/summary.ts');
      const g = globals(cmd);
      const scenarioData = buildScenario(o.population);
      const agencies = o.agencies ? await serve(o, Number(o.agenciesPort)) : undefined;
      const bar = new cliProgress.SingleBar({
        format: 'scenario 1399 |{bar}| {value}/{total} inquiries | {rate}/s | {duration}s',
        hideCursor: true,
      }, cliProgress.Presets.shades_classic);
      const started = performance.now();
      bar.start(o.count, 0, { rate: 0 });
      try {
        const summary = await runScenario({
          url: o.url, instance: g.instance, mix: buildMix(scenarioData), count: o.count, concurrency: o.concurrency, seed: o.seed,
          onProgress: (done) => bar.update(done, { rate: Math.round(done / ((performance.now() - started) / 1000)) }),
        });
        bar.stop();
        if (o.json) print(cmd, summary);
        else runOf(cmd).out(formatSummary(summary));
        if (summary.answered === 0) runOf(cmd).exitCode = 1;
      } finally {
        bar.stop();
        await agencies?.close();
      }
    });
}
