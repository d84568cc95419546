// The oversight data the registry keeps (issue "Oversight", DESIGN sections 7 and 8): what the
// working group, the inspectors and the development plan measure the exchange against.
//
// - Service levels: one SLA document per service (availability, p95 latency, maximum rate, support
//   hours). Its maximum rate is also written, in the same change, to the service's own
//   max_rate_per_second, which the snapshot carries and the door enforces with
//   Client.RateLimitExceeded: the agreed rate is the enforced rate. Removing the document leaves the
//   enforced rate as it stands (lifting a provider's protection is a decision of its own:
//   `service add --replace` without `--max-rate`).
// - Savings: the in-person visits and paper letters one answered inquiry of a service replaces.
// - Baselines: the citizens' in-person visits an agency declares for a Jalali base year, against
//   which the sixth development plan's 12.5 % cut is measured.
// - Mandates: working-group resolutions with a Jalali deadline and a measurable condition of a
//   closed set of kinds (MANDATE_CONDITION_KINDS below); they are evaluated elsewhere, from the
//   registry and the rollups.
// - The UN e-government survey's services, each mapped to the Tabadol services that provide it.
//
// Every change runs inside Registry.batch like the registry's other operations (operations.ts):
// checks first, then writes, then one change-log entry, in the change's transaction, so a refused
// input changes nothing. `oversightOf(change)` gives the operations of a batch's change.
import { Type, type Static, type TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { Errors, fail } from '../errors/catalogue.ts';
import { formatJalali, parseJalali } from '../dates/jalali.ts';
import { isValidPart, parseServiceId, partProblem, serviceKey } from '../identifiers/xroad-id.ts';
import type { RegistryDb } from '../store/database.ts';
import { MAX_DESCRIPTION_LENGTH, normaliseName, normaliseOptionalName } from './names.ts';
import type { RegistryChange } from './operations.ts';

// --- Shapes of the input. The admin API publishes the same schemas (src/admin/oversight-schemas.ts).

const clock = (description: string) => Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description });

/** Support hours, Tehran time: round the clock, or a daily window on a set of days. */
export const SupportHours = Type.Union([
  Type.Literal('24/7', { description: 'Every hour of every day' }),
  Type.Object({
    days: Type.Enum(['sat-wed', 'sat-thu', 'every-day'], { description: 'sat-wed: the government working week; sat-thu: with Thursday' }),
    from: clock('HH:MM, Tehran time'),
    to: clock('HH:MM, Tehran time, after from'),
  }, { additionalProperties: false }),
], { description: 'Support hours, Tehran time' });
export type SupportHours = Static<typeof SupportHours>;

export const SlaInput = Type.Object({
  availabilityPercent: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'Availability target per Jalali month, percent (e.g. 99.5)' }),
  p95LatencyMs: Type.Integer({ minimum: 1, maximum: 300_000, description: '95th-percentile latency target, milliseconds' }),
  maxRatePerSecond: Type.Integer({ minimum: 1, description: 'Maximum rate per client, requests per second; also enforced at the door' }),
  supportHours: SupportHours,
}, { additionalProperties: false });
export type SlaInput = Static<typeof SlaInput>;

/** What one answered inquiry replaces. Decimals allowed: an average over the inquiry's uses. */
export const SavingsInput = Type.Object({
  visits: Type.Number({ minimum: 0, maximum: 100, description: 'In-person visits one answered inquiry replaces' }),
  letters: Type.Number({ minimum: 0, maximum: 100, description: 'Paper letters one answered inquiry replaces' }),
}, { additionalProperties: false });
export type SavingsInput = Static<typeof SavingsInput>;

/** Jalali base years a baseline may name: four digits, from the first development plans to beyond any plausible plan. */
export const BASE_YEAR_MIN = 1300;
export const BASE_YEAR_MAX = 1499;

export const BaselineInput = Type.Object({
  visits: Type.Integer({ minimum: 0, description: 'Citizens\' in-person visits declared for the base year' }),
  note: Type.Optional(Type.String({ description: 'Where the figure comes from' })),
}, { additionalProperties: false });
export type BaselineInput = Static<typeof BaselineInput>;

const serviceRef = Type.String({ minLength: 1, description: 'INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE; need not be registered yet' });
const count = (description: string) => Type.Integer({ minimum: 1, description });

/**
 * The measurable conditions a mandate may carry: a closed set, each evaluated from the registry or
 * the rollups. A condition that names no service applies to the responsible member's services, or
 * to every service when the mandate names no member.
 */
const CONDITIONS = {
  'sla-coverage': Type.Object({
    kind: Type.Literal('sla-coverage'),
  }, { additionalProperties: false, description: 'Every service (of the responsible member, or every service) has an SLA document' }),
  'service-offered': Type.Object({
    kind: Type.Literal('service-offered'),
    service: serviceRef,
  }, { additionalProperties: false, description: 'The service is registered by the deadline' }),
  'min-monthly-usage': Type.Object({
    kind: Type.Literal('min-monthly-usage'),
    service: serviceRef,
    consumers: Type.Optional(Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1, maxItems: 100, description: 'Member ids (INSTANCE/CLASS/MEMBER) or group ids (INSTANCE/GROUP) whose inquiries count; every consumer when absent',
    })),
    per: Type.Optional(Type.Enum(['total', 'consumer'], { description: 'total (the default): all counted consumers together; consumer: each of them' })),
    atLeast: count('Answered inquiries a Jalali month'),
  }, { additionalProperties: false, description: 'At least this many answered inquiries of the service a Jalali month' }),
  'open-data-published': Type.Object({
    kind: Type.Literal('open-data-published'),
    atLeast: count('Datasets in the open-data catalogue'),
  }, { additionalProperties: false, description: 'At least this many datasets in the node\'s open-data catalogue' }),
  'max-error-rate': Type.Object({
    kind: Type.Literal('max-error-rate'),
    service: Type.Optional(serviceRef),
    percent: Type.Number({ minimum: 0, maximum: 100, description: 'Highest share of failed exchanges a Jalali month, percent' }),
  }, { additionalProperties: false, description: 'The service\'s (or each service\'s) failed exchanges stay under this share a Jalali month' }),
} as const;

export const MANDATE_CONDITION_KINDS = Object.keys(CONDITIONS) as (keyof typeof CONDITIONS)[];
export const MandateCondition = Type.Union(Object.values(CONDITIONS) as [
  typeof CONDITIONS['sla-coverage'], typeof CONDITIONS['service-offered'], typeof CONDITIONS['min-monthly-usage'],
  typeof CONDITIONS['open-data-published'], typeof CONDITIONS['max-error-rate'],
], { description: 'The measurable condition of a mandate, by kind' });
export type MandateCondition = Static<typeof MandateCondition>;

export const MandateInput = Type.Object({
  titleFa: Type.String({ minLength: 1 }),
  titleEn: Type.String({ minLength: 1 }),
  resolution: Type.String({ minLength: 1, description: 'The working group\'s reference, e.g. session and resolution number' }),
  responsibleMember: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()], { description: 'INSTANCE/CLASS/MEMBER; null or absent: every agency' })),
  deadline: Type.String({ description: 'Jalali date YYYY/MM/DD, four-digit year' }),
  condition: MandateCondition,
}, { additionalProperties: false });
export type MandateInput = Static<typeof MandateInput>;

export const SurveyServiceInput = Type.Object({
  titleFa: Type.String({ minLength: 1 }),
  titleEn: Type.String({ minLength: 1 }),
  services: Type.Array(Type.String({ minLength: 1 }), { maxItems: 100, description: 'Registered Tabadol services that provide it; empty: not online through the exchange' }),
}, { additionalProperties: false });
export type SurveyServiceInput = Static<typeof SurveyServiceInput>;

// --- What the reads answer.

export interface ServiceLevel extends SlaInput {
  serviceId: string;
  /** The rate the door enforces now (the service's max_rate_per_second); equal to maxRatePerSecond unless the service was re-registered with another. */
  enforcedRatePerSecond: number | null;
  createdAt: string;
  updatedAt: string;
}
export interface ServiceSavings extends SavingsInput { serviceId: string; updatedAt: string }
export interface VisitBaseline { memberId: string; year: number; visits: number; note: string | null; createdAt: string; updatedAt: string }
export interface Mandate {
  id: string;
  titleFa: string;
  titleEn: string;
  resolution: string;
  responsibleMember: string | null;
  deadline: string;
  condition: MandateCondition;
  createdAt: string;
  updatedAt: string;
}
export interface SurveyService { code: string; titleFa: string; titleEn: string; services: string[]; createdAt: string; updatedAt: string }

// --- Checks.

const validators = new Map<TSchema, Validator>();
function validatorOf(schema: TSchema): Validator {
  let v = validators.get(schema);
  if (!v) validators.set(schema, v = Compile(schema));
  return v;
}

/** Checks `value` against `schema`, or refuses with Admin.InvalidInput naming the first problem (a field, never a value). */
function checked<T extends TSchema>(schema: T, value: unknown, what: string): Static<T> {
  const v = validatorOf(schema);
  if (v.Check(value)) return value as Static<T>;
  const errors = v.Errors(value);
  const extra = errors.find((e) => e.keyword === 'additionalProperties');
  const first = extra ?? errors.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'boolean') ?? errors[0];
  const problem = !first ? 'is not valid'
    : first.keyword === 'additionalProperties' ? `has an unknown field: ${(first.params as { additionalProperties: string[] }).additionalProperties.join(', ')}`
    : `${first.instancePath || ''} ${first.message}`.trim();
  return fail(Errors.InvalidInput, `${what} ${problem}`);
}

function checkCondition(value: unknown): MandateCondition {
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  const schema = typeof kind === 'string' ? CONDITIONS[kind as keyof typeof CONDITIONS] : undefined;
  if (!schema) fail(Errors.InvalidInput, `condition.kind must be one of ${MANDATE_CONDITION_KINDS.join(', ')}`);
  return checked(schema as TSchema, value, 'condition') as MandateCondition;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function checkCode(code: unknown, what: string): string {
  if (typeof code !== 'string') fail(Errors.InvalidInput, `${what} is required`);
  const problem = partProblem(code);
  if (problem !== undefined || !isValidPart(code)) fail(Errors.InvalidInput, `${what} ${problem ?? 'may not be "." or contain ".."'}`);
  return code;
}

/** A Jalali base year: a four-digit whole year in the accepted range. */
export function checkBaseYear(year: unknown): number {
  const y = typeof year === 'string' && /^\d{4}$/.test(year) ? Number(year) : year;
  if (typeof y !== 'number' || !Number.isInteger(y) || y < BASE_YEAR_MIN || y > BASE_YEAR_MAX) {
    fail(Errors.InvalidInput, `the base year must be a four-digit Jalali year from ${BASE_YEAR_MIN} to ${BASE_YEAR_MAX}`);
  }
  return y;
}

// --- Rows to documents.

type Db = RegistryDb;

function levelOf(r: {
  service_id: string; availability_percent: number; p95_latency_ms: number; max_rate_per_second: number; support_hours: string;
  created_at: string; updated_at: string; enforced: number | null;
}): ServiceLevel {
  return {
    serviceId: r.service_id, availabilityPercent: r.availability_percent, p95LatencyMs: r.p95_latency_ms,
    maxRatePerSecond: r.max_rate_per_second, supportHours: JSON.parse(r.support_hours) as SupportHours,
    enforcedRatePerSecond: r.enforced, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

function mandateOf(r: {
  id: string; title_fa: string; title_en: string; resolution: string; responsible_member_id: string | null; deadline: string;
  condition: string; created_at: string; updated_at: string;
}): Mandate {
  return {
    id: r.id, titleFa: r.title_fa, titleEn: r.title_en, resolution: r.resolution, responsibleMember: r.responsible_member_id,
    deadline: r.deadline, condition: JSON.parse(r.condition) as MandateCondition, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** Reads of the oversight data, on the store or inside a change's transaction. */
export class OversightReads {
  constructor(private readonly db: Db) {}

  private levels() {
    return this.db.selectFrom('service_levels').innerJoin('services', 'services.id', 'service_levels.service_id')
      .selectAll('service_levels').select('services.max_rate_per_second as enforced');
  }

  async listSlas(): Promise<ServiceLevel[]> {
    return (await this.levels().orderBy('service_levels.service_id').execute()).map(levelOf);
  }

  async getSla(serviceId: string): Promise<ServiceLevel> {
    const row = await this.levels().where('service_levels.service_id', '=', serviceId).executeTakeFirst();
    if (!row) fail(Errors.NotFound, `service ${serviceId} has no service level document`);
    return levelOf(row);
  }

  async listSavings(): Promise<ServiceSavings[]> {
    const rows = await this.db.selectFrom('service_savings').selectAll().orderBy('service_id').execute();
    return rows.map((r) => ({ serviceId: r.service_id, visits: r.visits, letters: r.letters, updatedAt: r.updated_at }));
  }

  async getSavings(serviceId: string): Promise<ServiceSavings> {
    const r = await this.db.selectFrom('service_savings').selectAll().where('service_id', '=', serviceId).executeTakeFirst();
    if (!r) fail(Errors.NotFound, `service ${serviceId} has no savings declared`);
    return { serviceId: r.service_id, visits: r.visits, letters: r.letters, updatedAt: r.updated_at };
  }

  /** Every baseline, or one member's, by member and year. */
  async listBaselines(memberId?: string): Promise<VisitBaseline[]> {
    let q = this.db.selectFrom('visit_baselines').selectAll();
    if (memberId !== undefined) q = q.where('member_id', '=', memberId);
    const rows = await q.orderBy('member_id').orderBy('base_year').execute();
    return rows.map((r) => ({ memberId: r.member_id, year: r.base_year, visits: r.visits, note: r.note, createdAt: r.created_at, updatedAt: r.updated_at }));
  }

  async getBaseline(memberId: string, year: number): Promise<VisitBaseline> {
    const [found] = (await this.listBaselines(memberId)).filter((b) => b.year === year);
    if (!found) fail(Errors.NotFound, `member ${memberId} has declared no baseline for ${year}`);
    return found;
  }

  async listMandates(): Promise<Mandate[]> {
    return (await this.db.selectFrom('mandates').selectAll().orderBy('deadline').orderBy('id').execute()).map(mandateOf);
  }

  async getMandate(id: string): Promise<Mandate> {
    const row = await this.db.selectFrom('mandates').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) fail(Errors.NotFound, `mandate ${id}`);
    return mandateOf(row);
  }

  async listSurvey(): Promise<SurveyService[]> {
    const [rows, links] = await Promise.all([
      this.db.selectFrom('survey_services').selectAll().orderBy('code').execute(),
      this.db.selectFrom('survey_service_links').selectAll().orderBy('service_id').execute(),
    ]);
    return rows.map((r) => ({
      code: r.code, titleFa: r.title_fa, titleEn: r.title_en,
      services: links.filter((l) => l.survey_code === r.code).map((l) => l.service_id),
      createdAt: r.created_at, updatedAt: r.updated_at,
    }));
  }

  async getSurveyService(code: string): Promise<SurveyService> {
    const found = (await this.listSurvey()).find((s) => s.code === code);
    if (!found) fail(Errors.NotFound, `survey service ${code}`);
    return found;
  }
}

// --- Changes.

/** The oversight operations of one registry change (see the top of this file). */
export class OversightChange {
  /** Reads inside the change's transaction: they see its own writes. */
  readonly reads: OversightReads;

  constructor(private readonly change: RegistryChange, private readonly trx: Db, private readonly now: () => string) {
    this.reads = new OversightReads(trx);
  }

  private async serviceMustExist(serviceId: string): Promise<void> {
    if (!(await this.change.exists('services', serviceId))) fail(Errors.NotFound, `service ${serviceId}`);
  }

  /** Sets (or replaces) a service's SLA document, and the rate the door enforces for it. */
  async setSla(serviceId: string, input: SlaInput): Promise<ServiceLevel> {
    const sla = checked(SlaInput, input, 'the service level');
    if (typeof sla.supportHours === 'object' && minutes(sla.supportHours.from) >= minutes(sla.supportHours.to)) {
      fail(Errors.InvalidInput, 'supportHours.to must be after supportHours.from');
    }
    await this.serviceMustExist(serviceId);
    const now = this.now();
    const row = {
      availability_percent: sla.availabilityPercent, p95_latency_ms: sla.p95LatencyMs, max_rate_per_second: sla.maxRatePerSecond,
      support_hours: JSON.stringify(sla.supportHours), updated_at: now,
    };
    await this.trx.insertInto('service_levels').values({ service_id: serviceId, created_at: now, ...row })
      .onConflict((oc) => oc.column('service_id').doUpdateSet(row)).execute();
    // The same change sets the rate the snapshot carries: the door enforces the SLA's maximum rate.
    await this.trx.updateTable('services').set({ max_rate_per_second: sla.maxRatePerSecond, updated_at: now }).where('id', '=', serviceId).execute();
    await this.change.log('sla.set', serviceId, sla);
    return this.reads.getSla(serviceId);
  }

  /** Removes a service's SLA document; the rate the door enforces stays as it is (see the top of this file). */
  async removeSla(serviceId: string): Promise<void> {
    const before = await this.reads.getSla(serviceId);
    await this.trx.deleteFrom('service_levels').where('service_id', '=', serviceId).execute();
    await this.change.log('sla.remove', serviceId, { ...before, createdAt: undefined, updatedAt: undefined });
  }

  /**
   * Puts every SLA's maximum rate back on its service where the two differ (a service re-registered
   * without its rate, e.g. by a bulk load); returns the services changed. Logs only when one did.
   */
  async reapplySlaRates(): Promise<string[]> {
    const drifted = (await this.reads.listSlas()).filter((s) => s.enforcedRatePerSecond !== s.maxRatePerSecond);
    for (const s of drifted) {
      await this.trx.updateTable('services').set({ max_rate_per_second: s.maxRatePerSecond, updated_at: this.now() }).where('id', '=', s.serviceId).execute();
    }
    if (drifted.length > 0) await this.change.log('sla.rates.reapply', this.change.instance, { services: drifted.map((s) => s.serviceId) });
    return drifted.map((s) => s.serviceId);
  }

  async setSavings(serviceId: string, input: SavingsInput): Promise<ServiceSavings> {
    const savings = checked(SavingsInput, input, 'the savings');
    await this.serviceMustExist(serviceId);
    const row = { visits: savings.visits, letters: savings.letters, updated_at: this.now() };
    await this.trx.insertInto('service_savings').values({ service_id: serviceId, ...row })
      .onConflict((oc) => oc.column('service_id').doUpdateSet(row)).execute();
    await this.change.log('savings.set', serviceId, savings);
    return this.reads.getSavings(serviceId);
  }

  async setBaseline(memberId: string, year: number, input: BaselineInput): Promise<VisitBaseline> {
    const baseYear = checkBaseYear(year);
    const baseline = checked(BaselineInput, input, 'the baseline');
    const note = normaliseOptionalName(baseline.note, 'note', MAX_DESCRIPTION_LENGTH);
    if (!(await this.change.exists('members', memberId))) fail(Errors.NotFound, `member ${memberId}`);
    const now = this.now();
    const row = { visits: baseline.visits, note, updated_at: now };
    await this.trx.insertInto('visit_baselines').values({ member_id: memberId, base_year: baseYear, created_at: now, ...row })
      .onConflict((oc) => oc.columns(['member_id', 'base_year']).doUpdateSet(row)).execute();
    await this.change.log('baseline.set', memberId, { year: baseYear, visits: baseline.visits, note });
    return this.reads.getBaseline(memberId, baseYear);
  }

  /** Adds a mandate, or replaces the one with this id (refused with Admin.AlreadyExists when `replace` is false). */
  async putMandate(id: string, input: MandateInput, replace = true): Promise<{ mandate: Mandate; created: boolean }> {
    const code = checkCode(id, 'the mandate id');
    const m = checked(MandateInput, input, 'the mandate');
    const condition = await this.normaliseCondition(checkCondition(m.condition));
    const titleFa = normaliseName(m.titleFa, 'titleFa');
    const titleEn = normaliseName(m.titleEn, 'titleEn');
    const resolution = normaliseName(m.resolution, 'resolution');
    const deadline = formatJalali(parseJalali(m.deadline));
    const responsible = m.responsibleMember ?? null;
    if (responsible !== null) await this.memberMustExist(responsible, 'responsibleMember');
    const now = this.now();
    const row = {
      title_fa: titleFa, title_en: titleEn, resolution, responsible_member_id: responsible, deadline,
      condition: JSON.stringify(condition), updated_at: now,
    };
    const existing = await this.trx.selectFrom('mandates').select('id').where('id', '=', code).executeTakeFirst();
    if (existing && !replace) fail(Errors.AlreadyExists, `mandate ${code}`);
    if (existing) await this.trx.updateTable('mandates').set(row).where('id', '=', code).execute();
    else await this.trx.insertInto('mandates').values({ id: code, created_at: now, ...row }).execute();
    await this.change.log(existing ? 'mandate.update' : 'mandate.add', code, { titleEn, resolution, responsibleMember: responsible, deadline, condition });
    return { mandate: await this.reads.getMandate(code), created: !existing };
  }

  async removeMandate(id: string): Promise<void> {
    const before = await this.reads.getMandate(id);
    await this.trx.deleteFrom('mandates').where('id', '=', id).execute();
    await this.change.log('mandate.remove', id, { titleEn: before.titleEn, deadline: before.deadline });
  }

  /** Adds a survey service, or replaces its titles and the services mapped to it. */
  async putSurveyService(code: string, input: SurveyServiceInput): Promise<{ survey: SurveyService; created: boolean }> {
    const c = checkCode(code, 'the survey service code');
    const s = checked(SurveyServiceInput, input, 'the survey service');
    const titleFa = normaliseName(s.titleFa, 'titleFa');
    const titleEn = normaliseName(s.titleEn, 'titleEn');
    const services = await this.checkServiceList(s.services);
    const now = this.now();
    const existing = await this.trx.selectFrom('survey_services').select('code').where('code', '=', c).executeTakeFirst();
    if (existing) await this.trx.updateTable('survey_services').set({ title_fa: titleFa, title_en: titleEn, updated_at: now }).where('code', '=', c).execute();
    else await this.trx.insertInto('survey_services').values({ code: c, title_fa: titleFa, title_en: titleEn, created_at: now, updated_at: now }).execute();
    await this.writeLinks(c, services);
    await this.change.log(existing ? 'survey.update' : 'survey.add', c, { titleEn, services });
    return { survey: await this.reads.getSurveyService(c), created: !existing };
  }

  /** Replaces the services mapped to an existing survey service (none: not online through the exchange). */
  async mapSurveyService(code: string, serviceIds: readonly string[]): Promise<SurveyService> {
    const before = await this.reads.getSurveyService(code);
    const services = await this.checkServiceList(serviceIds);
    await this.trx.updateTable('survey_services').set({ updated_at: this.now() }).where('code', '=', code).execute();
    await this.writeLinks(code, services);
    await this.change.log('survey.map', code, { before: before.services, services });
    return this.reads.getSurveyService(code);
  }

  private async writeLinks(code: string, services: readonly string[]): Promise<void> {
    await this.trx.deleteFrom('survey_service_links').where('survey_code', '=', code).execute();
    if (services.length > 0) await this.trx.insertInto('survey_service_links').values(services.map((service_id) => ({ survey_code: code, service_id }))).execute();
  }

  private async checkServiceList(ids: readonly string[]): Promise<string[]> {
    if (!Array.isArray(ids) || ids.length > 100) fail(Errors.InvalidInput, 'services must be a list of at most 100 service ids');
    if (new Set(ids).size !== ids.length) fail(Errors.InvalidInput, 'services lists a service twice');
    for (const id of ids) await this.serviceMustExist(id);
    return [...ids].sort();
  }

  private async memberMustExist(id: string, field: string): Promise<void> {
    if (typeof id !== 'string' || id.split('/').length !== 3) fail(Errors.InvalidInput, `${field} must be a member id, INSTANCE/CLASS/MEMBER`);
    if (!(await this.change.exists('members', id))) fail(Errors.NotFound, `member ${id}`);
  }

  /** A condition in its stored form: service ids checked for form (they may be registered later), consumers for existence, fields in one order. */
  private async normaliseCondition(c: MandateCondition): Promise<MandateCondition> {
    const service = (id: string) => {
      const sid = parseServiceId(id, Errors.InvalidInput);
      if (sid.instance !== this.change.instance) fail(Errors.InvalidInput, `condition.service must be of instance ${this.change.instance}`);
      return serviceKey(sid);
    };
    switch (c.kind) {
      case 'sla-coverage': return { kind: c.kind };
      case 'open-data-published': return { kind: c.kind, atLeast: c.atLeast };
      case 'service-offered': return { kind: c.kind, service: service(c.service) };
      case 'max-error-rate': return c.service === undefined ? { kind: c.kind, percent: c.percent } : { kind: c.kind, service: service(c.service), percent: c.percent };
      case 'min-monthly-usage': {
        const out: Static<typeof CONDITIONS['min-monthly-usage']> = { kind: c.kind, service: service(c.service), atLeast: c.atLeast };
        if (c.consumers !== undefined) {
          if (new Set(c.consumers).size !== c.consumers.length) fail(Errors.InvalidInput, 'condition.consumers lists a consumer twice');
          for (const id of c.consumers) await this.consumerMustExist(id);
          out.consumers = [...c.consumers].sort();
        }
        if (c.per !== undefined) out.per = c.per;
        return out;
      }
    }
  }

  private async consumerMustExist(id: string): Promise<void> {
    const parts = id.split('/').length;
    if (parts === 3) return this.memberMustExist(id, 'condition.consumers');
    if (parts !== 2) fail(Errors.InvalidInput, 'condition.consumers must name members (INSTANCE/CLASS/MEMBER) or groups (INSTANCE/GROUP)');
    if (!(await this.change.exists('groups', id))) fail(Errors.NotFound, `group ${id}`);
  }
}

// A batch's change and its oversight operations share one transaction; Registry.batch binds them
// when it opens the change, so oversight needs nothing of the change's internals.
const bound = new WeakMap<RegistryChange, OversightChange>();

export function bindOversight(change: RegistryChange, trx: Db, now: () => string): void {
  bound.set(change, new OversightChange(change, trx, now));
}

/** The oversight operations of a change opened by Registry.batch. */
export function oversightOf(change: RegistryChange): OversightChange {
  return bound.get(change) ?? fail(Errors.InternalError, 'a registry change not opened by Registry.batch');
}
