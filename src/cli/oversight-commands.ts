// Oversight commands: the registry's oversight data (src/registry/oversight-data.ts) on a data
// directory, through the same operations as the admin API. Results print as JSON.
//
//   tabadol sla set IR/GOV/NOCR/identity/person --availability 99.5 --p95-ms 800 --max-rate 50 --hours 24/7
//   tabadol savings set IR/GOV/NOCR/identity/person --visits 1 --letters 2
//   tabadol baseline set IR/GOV/NOCR --year 1396 --visits 12000000
//   tabadol mandate add WG-1399-03 --title-fa … --title-en … --resolution 'session 12, resolution 4' --deadline 1400/06/31 \
//       --kind service-offered --service IR/GOV/MSRT/degrees/degree
//   tabadol survey map birth-certificate IR/GOV/NOCR/inquiries/birth-certificate-status
import type { Command } from 'commander';
import { Errors, fail } from '../errors/catalogue.ts';
import type { MandateCondition, SupportHours } from '../registry/oversight-data.ts';
import { print, withRegistry } from './context.ts';

const number = (v: string): number => (v.trim() === '' ? Number.NaN : Number(v));
const list = (v: string): string[] => v.split(',').map((x) => x.trim()).filter((x) => x !== '');

const HOURS = /^(sat-wed|sat-thu|every-day)\s+(\d{2}:\d{2})-(\d{2}:\d{2})$/;

/** `24/7`, or `DAYS HH:MM-HH:MM` (Tehran time), e.g. `sat-wed 08:00-16:00`. */
export function parseSupportHours(text: string): SupportHours {
  const t = text.trim();
  if (t === '24/7') return '24/7';
  const m = HOURS.exec(t);
  if (!m) fail(Errors.InvalidInput, '--hours must be 24/7 or DAYS HH:MM-HH:MM, DAYS one of sat-wed, sat-thu, every-day (Tehran time)');
  return { days: m[1] as 'sat-wed' | 'sat-thu' | 'every-day', from: m[2]!, to: m[3]! };
}

interface ConditionFlags { condition?: string; kind?: string; service?: string; consumers?: string[]; per?: string; atLeast?: number; percent?: number }

/** A mandate's condition from `--condition JSON`, or from `--kind` and the flags of that kind. */
function conditionOf(o: ConditionFlags): MandateCondition {
  const flags = o.kind !== undefined || o.service !== undefined || o.consumers !== undefined || o.per !== undefined || o.atLeast !== undefined || o.percent !== undefined;
  if (o.condition !== undefined) {
    if (flags) fail(Errors.InvalidInput, 'give the condition either as --condition JSON or as --kind and its flags, not both');
    try {
      return JSON.parse(o.condition) as MandateCondition;
    } catch {
      return fail(Errors.InvalidInput, '--condition is not JSON');
    }
  }
  if (o.kind === undefined) fail(Errors.InvalidInput, 'a mandate needs a condition: --condition JSON, or --kind with its flags');
  // Only the flags given: the registry refuses a field the kind does not take, or a missing one.
  const c: Record<string, unknown> = { kind: o.kind };
  if (o.service !== undefined) c.service = o.service;
  if (o.consumers !== undefined) c.consumers = o.consumers;
  if (o.per !== undefined) c.per = o.per;
  if (o.atLeast !== undefined) c.atLeast = o.atLeast;
  if (o.percent !== undefined) c.percent = o.percent;
  return c as MandateCondition;
}

export function registerOversightCommands(program: Command): void {
  const sla = program.command('sla').description('service level agreements: one document per service; its maximum rate is enforced at the door');
  sla.command('set <service>').description('set or replace a service\'s SLA document')
    .requiredOption('--availability <percent>', 'availability target per Jalali month, e.g. 99.5', number)
    .requiredOption('--p95-ms <ms>', '95th-percentile latency target, milliseconds', number)
    .requiredOption('--max-rate <perSecond>', 'maximum rate per client, requests per second (enforced: Client.RateLimitExceeded)', number)
    .requiredOption('--hours <hours>', 'support hours, Tehran time: 24/7, or e.g. "sat-wed 08:00-16:00"')
    .action(async (serviceId: string, o: { availability: number; p95Ms: number; maxRate: number; hours: string }, cmd: Command) => {
      const input = { availabilityPercent: o.availability, p95LatencyMs: o.p95Ms, maxRatePerSecond: o.maxRate, supportHours: parseSupportHours(o.hours) };
      print(cmd, await withRegistry(cmd, (r) => r.changeOversight((c) => c.setSla(serviceId, input), 'cli')));
    });
  sla.command('show <service>').action(async (serviceId: string, _o: unknown, cmd: Command) =>
    print(cmd, await withRegistry(cmd, (r) => r.oversight.getSla(serviceId))));
  sla.command('list').description('every SLA document, by service').action(async (_o: unknown, cmd: Command) =>
    print(cmd, await withRegistry(cmd, (r) => r.oversight.listSlas())));
  sla.command('remove <service>').description('remove a service\'s SLA document; the enforced rate stays as it is')
    .action(async (serviceId: string, _o: unknown, cmd: Command) => {
      await withRegistry(cmd, (r) => r.changeOversight((c) => c.removeSla(serviceId), 'cli'));
      print(cmd, { removed: serviceId });
    });

  const savings = program.command('savings').description('in-person visits and paper letters one answered inquiry of a service replaces');
  savings.command('set <service>')
    .requiredOption('--visits <n>', 'in-person visits one answered inquiry replaces (decimals allowed)', number)
    .requiredOption('--letters <n>', 'paper letters one answered inquiry replaces (decimals allowed)', number)
    .action(async (serviceId: string, o: { visits: number; letters: number }, cmd: Command) =>
      print(cmd, await withRegistry(cmd, (r) => r.changeOversight((c) => c.setSavings(serviceId, { visits: o.visits, letters: o.letters }), 'cli'))));
  savings.command('show <service>').action(async (serviceId: string, _o: unknown, cmd: Command) =>
    print(cmd, await withRegistry(cmd, (r) => r.oversight.getSavings(serviceId))));
  savings.command('list').action(async (_o: unknown, cmd: Command) => print(cmd, await withRegistry(cmd, (r) => r.oversight.listSavings())));

  const baseline = program.command('baseline').description('citizens\' in-person visits an agency declares for a base year (the development plan\'s 12.5 % cut)');
  baseline.command('set <member>').description('declare INSTANCE/CLASS/MEMBER\'s visits for a Jalali base year')
    .requiredOption('--year <year>', 'Jalali base year, four digits', number)
    .requiredOption('--visits <n>', 'citizens\' in-person visits in that year', number)
    .option('--note <text>', 'where the figure comes from')
    .action(async (memberId: string, o: { year: number; visits: number; note?: string }, cmd: Command) =>
      print(cmd, await withRegistry(cmd, (r) => r.changeOversight((c) => c.setBaseline(memberId, o.year, { visits: o.visits, note: o.note }), 'cli'))));
  baseline.command('show <member>').requiredOption('--year <year>', 'Jalali base year', number)
    .action(async (memberId: string, o: { year: number }, cmd: Command) => print(cmd, await withRegistry(cmd, (r) => r.oversight.getBaseline(memberId, o.year))));
  baseline.command('list').option('--member <id>', 'one member\'s baselines')
    .action(async (o: { member?: string }, cmd: Command) => print(cmd, await withRegistry(cmd, (r) => r.oversight.listBaselines(o.member))));

  const mandate = program.command('mandate').description('working-group resolutions: a deadline and a measurable condition');
  mandate.command('add <id>').description('add a mandate (--replace to replace one)')
    .requiredOption('--title-fa <text>').requiredOption('--title-en <text>')
    .requiredOption('--resolution <ref>', 'the working group\'s reference, e.g. "session 12, resolution 4"')
    .requiredOption('--deadline <date>', 'Jalali date YYYY/MM/DD')
    .option('--responsible <member>', 'INSTANCE/CLASS/MEMBER responsible (default: every agency)')
    .option('--condition <json>', 'the condition as JSON, e.g. \'{"kind":"sla-coverage"}\'')
    .option('--kind <kind>', 'sla-coverage | service-offered | min-monthly-usage | open-data-published | max-error-rate')
    .option('--service <id>', 'service-offered, min-monthly-usage, max-error-rate: the service')
    .option('--consumers <ids>', 'min-monthly-usage: member or group ids, comma-separated', list)
    .option('--per <per>', 'min-monthly-usage: total (default) or consumer')
    .option('--at-least <n>', 'min-monthly-usage: answered inquiries a month; open-data-published: datasets', number)
    .option('--percent <p>', 'max-error-rate: highest share of failed exchanges a month', number)
    .option('--replace', 'replace the mandate with this id')
    .action(async (id: string, o: ConditionFlags & { titleFa: string; titleEn: string; resolution: string; deadline: string; responsible?: string; replace?: boolean }, cmd: Command) => {
      const input = { titleFa: o.titleFa, titleEn: o.titleEn, resolution: o.resolution, deadline: o.deadline, responsibleMember: o.responsible ?? null, condition: conditionOf(o) };
      const { mandate: m } = await withRegistry(cmd, (r) => r.changeOversight((c) => c.putMandate(id, input, o.replace === true), 'cli'));
      print(cmd, m);
    });
  mandate.command('list').description('every mandate, earliest deadline first').action(async (_o: unknown, cmd: Command) =>
    print(cmd, await withRegistry(cmd, (r) => r.oversight.listMandates())));
  mandate.command('show <id>').action(async (id: string, _o: unknown, cmd: Command) => print(cmd, await withRegistry(cmd, (r) => r.oversight.getMandate(id))));
  mandate.command('remove <id>').action(async (id: string, _o: unknown, cmd: Command) => {
    await withRegistry(cmd, (r) => r.changeOversight((c) => c.removeMandate(id), 'cli'));
    print(cmd, { removed: id });
  });

  const survey = program.command('survey').description('the UN e-government survey\'s services and the Tabadol services that provide them');
  survey.command('map <code> [services...]')
    .description('map a survey service to registered services (none: not online through the exchange); with --title-fa and --title-en, add or retitle it')
    .option('--title-fa <text>').option('--title-en <text>')
    .action(async (code: string, services: string[], o: { titleFa?: string; titleEn?: string }, cmd: Command) => {
      if ((o.titleFa === undefined) !== (o.titleEn === undefined)) fail(Errors.InvalidInput, 'give both --title-fa and --title-en, or neither');
      print(cmd, await withRegistry(cmd, (r) => r.changeOversight(async (c) => (o.titleFa !== undefined && o.titleEn !== undefined
        ? (await c.putSurveyService(code, { titleFa: o.titleFa, titleEn: o.titleEn, services })).survey
        : c.mapSurveyService(code, services)), 'cli')));
    });
  survey.command('show <code>').action(async (code: string, _o: unknown, cmd: Command) => print(cmd, await withRegistry(cmd, (r) => r.oversight.getSurveyService(code))));
  survey.command('list').description('the survey\'s services, with how many are online through the exchange')
    .action(async (_o: unknown, cmd: Command) => {
      const services = await withRegistry(cmd, (r) => r.oversight.listSurvey());
      print(cmd, { total: services.length, online: services.filter((s) => s.services.length > 0).length, services });
    });
}
