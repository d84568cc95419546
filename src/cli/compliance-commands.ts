// Compliance commands (src/compliance/): attached to the oversight groups where they belong —
// `sla evaluate|compliance|breaches`, `savings report`, `mandate status`, `survey status` — and the
// inspectors' `violations <month>`. They read the rollups of the data directory's records database
// and keep SLA evaluations beside them.
//
//   tabadol sla evaluate --month 1399/07
//   tabadol savings report --from 1399/01/01 --to 1399/12/30
//   tabadol violations 1399/07 --csv > violations.csv; tabadol violations 1399/07 --html violations.html
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Compliance } from '../compliance/compliance.ts';
import { mandatesText, slaText, surveyText, visitsAvoidedText } from '../compliance/compliance-text.ts';
import { lastClosedMonth, monthLabel, parseJalaliMonth } from '../compliance/jalali-month.ts';
import { mandateStatusesNow } from '../compliance/mandate-status.ts';
import { surveyStatus } from '../compliance/survey-status.ts';
import { violationsCsv } from '../compliance/violations-csv.ts';
import { violationsHtml } from '../compliance/violations-html.ts';
import { violationsReport } from '../compliance/violations.ts';
import { visitsAvoided } from '../compliance/visits-avoided.ts';
import { Errors, fail } from '../errors/catalogue.ts';
import { statsRequest } from '../oversight/stats-request.ts';
import { openStatsSource } from '../oversight/stats-source.ts';
import type { Registry } from '../registry/registry.ts';
import { globals, runOf, withRegistry } from './context.ts';

/** The group another command file made, or a new one when it is absent. */
const group = (program: Command, name: string, description: string): Command =>
  program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);

function withCompliance<T>(cmd: Command, fn: (c: Compliance, r: Registry) => Promise<T>): Promise<T> {
  return withRegistry(cmd, async (registry) => {
    const source = openStatsSource(globals(cmd).data);
    try {
      return await fn(new Compliance(source.db, source.rollups), registry);
    } finally {
      source.close();
    }
  });
}

const show = (cmd: Command, json: boolean | undefined, value: unknown, text: () => string) => {
  const run = runOf(cmd);
  if (json) run.print(value);
  else run.out(text());
};

export function registerComplianceCommands(program: Command): void {
  const sla = group(program, 'sla', 'service level agreements');
  sla.command('evaluate').description('evaluate every SLA against a closed Jalali month and keep the results (again: replaces that month\'s rows for the same SLA version)')
    .requiredOption('--month <YYYY/MM>', 'closed Jalali month')
    .option('--json', 'print JSON')
    .action(async (o: { month: string; json?: boolean }, cmd: Command) => {
      const month = parseJalaliMonth(o.month);
      const results = await withCompliance(cmd, (c, r) => c.evaluateMonth(r, month, new Date()));
      show(cmd, o.json, results, () => slaText(monthLabel(month), results));
    });
  sla.command('compliance').description('each SLA\'s verdict for a closed Jalali month (evaluated and kept when not yet)')
    .option('--month <YYYY/MM>', 'closed Jalali month (default: the last closed month)')
    .option('--json', 'print JSON')
    .action(async (o: { month?: string; json?: boolean }, cmd: Command) => {
      const month = o.month === undefined ? lastClosedMonth(new Date()) : parseJalaliMonth(o.month);
      const results = await withCompliance(cmd, (c, r) => c.verdicts(r, month, new Date()));
      show(cmd, o.json, results, () => slaText(monthLabel(month), results));
    });
  sla.command('breaches').description('every breach kept for a Jalali month, under every SLA version')
    .requiredOption('--month <YYYY/MM>', 'Jalali month')
    .action(async (o: { month: string }, cmd: Command) => {
      const month = monthLabel(parseJalaliMonth(o.month));
      runOf(cmd).print(await withCompliance(cmd, async (c) => c.breaches.breaches(month)));
    });

  group(program, 'savings', 'visits and letters one answered inquiry replaces')
    .command('report').description('visits and letters avoided per agency in a Jalali period, and the 12.5 % cut against declared baselines')
    .option('--from <date>', 'first Jalali day, YYYY/MM/DD (default: the first day of this Jalali year)')
    .option('--to <date>', 'last Jalali day, inclusive (default: today in Tehran)')
    .option('--json', 'print JSON')
    .action(async (o: { from?: string; to?: string; json?: boolean }, cmd: Command) => {
      const period = statsRequest(o);
      const v = await withCompliance(cmd, (c, r) => visitsAvoided(c.stats, r, period));
      show(cmd, o.json, v, () => visitsAvoidedText(v));
    });

  group(program, 'mandate', 'working-group resolutions')
    .command('status').description('each mandate\'s status today (met, not-met, pending, overdue) with the evidence')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const ms = await withCompliance(cmd, (c, registry) => mandateStatusesNow({ registry, rollups: c.stats }, new Date()));
      show(cmd, o.json, ms, () => mandatesText(ms));
    });

  group(program, 'survey', 'the UN e-government survey\'s services')
    .command('status').description('each survey service: online (a mapped service is registered) and used in the period; "N of M online"')
    .option('--from <date>', 'first Jalali day (default: the first day of this Jalali year)')
    .option('--to <date>', 'last Jalali day, inclusive (default: today in Tehran)')
    .option('--json', 'print JSON')
    .action(async (o: { from?: string; to?: string; json?: boolean }, cmd: Command) => {
      const period = statsRequest(o);
      const s = await withCompliance(cmd, (c, r) => surveyStatus(c.stats, r, period));
      show(cmd, o.json, s, () => surveyText(s));
    });

  program.command('violations <month>')
    .description('the inspection organisation\'s list for a closed Jalali month (YYYY/MM): agencies that breached an SLA or missed a mandate, with the evidence; JSON unless --csv')
    .option('--csv', 'print CSV (RFC 4180)')
    .option('--html <file>', 'also write a printable Persian HTML document to FILE')
    .action(async (monthText: string, o: { csv?: boolean; html?: string }, cmd: Command) => {
      const month = parseJalaliMonth(monthText);
      if (o.html !== undefined && o.html.trim() === '') fail(Errors.InvalidInput, '--html needs a file name');
      const report = await withCompliance(cmd, (c, registry) => violationsReport(c, { registry, rollups: c.stats }, month, new Date()));
      if (o.html !== undefined) writeFileSync(o.html, violationsHtml(report));
      const run = runOf(cmd);
      if (o.csv) run.out(violationsCsv(report));
      else run.print(report);
    });
}
