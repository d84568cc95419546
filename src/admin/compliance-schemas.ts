// The shapes of the admin API's compliance routes (src/admin/compliance-routes.ts), field by field
// with no field left open, as the other route files.
import { Type } from 'typebox';
import { MANDATE_CONDITION_KINDS, SupportHours } from '../registry/oversight-data.ts';

const num = Type.Number();
const int = Type.Integer();
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const jalaliDate = (description: string) => Type.Optional(Type.String({ description, maxLength: 20 }));

export const PeriodQuery = Type.Object({
  from: jalaliDate('Jalali date YYYY/MM/DD (default: the first day of this Jalali year)'),
  to: jalaliDate('Jalali date YYYY/MM/DD, inclusive (default: today in Tehran)'),
}, { additionalProperties: false });

export const MonthQuery = Type.Object({
  month: Type.Optional(Type.String({ description: 'Jalali month YYYY/MM (default: the last closed month)', maxLength: 10 })),
}, { additionalProperties: false });

export const MonthBody = Type.Object({
  month: Type.String({ description: 'Jalali month YYYY/MM, closed', maxLength: 10 }),
}, { additionalProperties: false });

export const MonthParams = Type.Object({
  year: Type.String({ description: 'Jalali year, four digits', maxLength: 4 }),
  month: Type.String({ description: 'Jalali month, 1–12', maxLength: 2 }),
});
export const ViolationsQuery = Type.Object({
  format: Type.Optional(Type.Enum(['json', 'csv'], { description: 'json (the default) or csv (RFC 4180)' })),
}, { additionalProperties: false });

const ServiceAvoided = Type.Object({
  serviceId: Type.String(), answered: int,
  visitsPerInquiry: nullable(num), lettersPerInquiry: nullable(num), visits: num, letters: num,
}, { additionalProperties: false });

export const VisitsAvoided = Type.Object({
  from: Type.String(), to: Type.String(),
  wholeYear: Type.Boolean({ description: 'the period is one whole Jalali year, for which the plan\'s indicator is given' }),
  targetPercent: Type.Number({ description: 'the sixth development plan\'s cut in citizens\' visits: 12.5' }),
  total: Type.Object({ answered: int, visits: num, letters: num, answeredNotDeclared: int }, { additionalProperties: false }),
  agencies: Type.Array(Type.Object({
    memberId: Type.String(), name: nullable(Type.String()), nameFa: nullable(Type.String()),
    answered: int, visits: num, letters: num, answeredNotDeclared: int, servicesNotDeclared: Type.Array(Type.String()),
    baseline: nullable(Type.Object({
      year: int, visits: int, avoidedInBaseYear: num,
      cutPercent: Type.Number({ description: '(visits avoided − avoidedInBaseYear) / baseline visits, percent' }), targetPercent: num, met: Type.Boolean(),
    }, { additionalProperties: false })),
    services: Type.Array(ServiceAvoided),
  }, { additionalProperties: false })),
  notDeclared: Type.Array(Type.Object({ serviceId: Type.String(), answered: int }, { additionalProperties: false }), { description: 'services with answered inquiries that declared no savings' }),
}, { additionalProperties: false, description: 'Visits and letters avoided per agency, and the development plan\'s indicator' });

const CriterionResult = Type.Object({
  criterion: Type.Enum(['availability', 'p95-latency']),
  unit: Type.Enum(['percent', 'ms']),
  target: num,
  actual: nullable(num),
  met: nullable(Type.Boolean()),
  off: Type.Union([Type.Number({ description: 'percentage points short, or milliseconds over; 0 when met' }), Type.Null()]),
}, { additionalProperties: false });

export const SlaMonthResult = Type.Object({
  serviceId: Type.String(), provider: Type.String(), agency: Type.String(), month: Type.String(),
  slaVersion: Type.String({ description: 'the SLA document\'s updatedAt when evaluated: its targets are the ones shown' }),
  supportHours: SupportHours,
  basis: Type.Enum(['month', 'hours', 'days'], { description: 'rollup rows read: month (24/7), hours, or days once hours aged out' }),
  answered: int, providerFailed: int,
  exchangeFailed: Type.Integer({ description: 'counted against the exchange, not the provider' }),
  refused: Type.Integer({ description: 'the callers\' doing; not counted' }),
  availability: CriterionResult,
  p95Latency: CriterionResult,
  rate: Type.Object({
    maxRatePerSecond: int, enforcedRatePerSecond: nullable(int),
    rateLimitedRefusals: Type.Integer({ description: 'Client.RateLimitExceeded refusals of the service\'s callers in the month' }),
    clientsLimited: int,
  }, { additionalProperties: false }),
  compliant: Type.Boolean(),
  evaluatedAt: Type.String(),
}, { additionalProperties: false });

export const SlaCompliance = Type.Object({
  month: Type.String(),
  services: int,
  compliant: int,
  results: Type.Array(SlaMonthResult),
}, { additionalProperties: false, description: 'Each SLA\'s most recent evaluation of the month' });

export const KeptBreach = Type.Object({
  serviceId: Type.String(), provider: Type.String(), agency: Type.String(), month: Type.String(),
  criterion: Type.Enum(['availability', 'p95-latency']), unit: Type.Enum(['percent', 'ms']),
  target: num, actual: num, off: num, slaVersion: Type.String(), evaluatedAt: Type.String(),
}, { additionalProperties: false });

const MeasuredItem = Type.Object({ key: Type.String(), value: num, threshold: num, met: Type.Boolean() }, { additionalProperties: false });

export const MandateStatus = Type.Object({
  id: Type.String(), titleFa: Type.String(), titleEn: Type.String(), resolution: Type.String(),
  responsibleMember: nullable(Type.String()), deadline: Type.String(),
  kind: Type.Enum(MANDATE_CONDITION_KINDS),
  status: Type.Enum(['met', 'not-met', 'pending', 'overdue']),
  agencies: Type.Array(Type.String(), { description: 'agencies answerable for a shortfall' }),
  evidence: Type.Object({
    summary: Type.String(),
    month: Type.Optional(Type.String()),
    servicesInScope: Type.Optional(int), servicesWithSla: Type.Optional(int), servicesWithoutSla: Type.Optional(Type.Array(Type.String())),
    registered: Type.Optional(Type.Boolean()),
    datasets: Type.Optional(nullable(int)),
    measured: Type.Optional(Type.Array(MeasuredItem)),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

export const ViolationsReport = Type.Object({
  month: Type.String(), from: Type.String(), to: Type.String(), generatedAt: Type.String(), servicesEvaluated: int,
  counts: Type.Object({ agencies: int, slaBreaches: int, mandatesMissed: int }, { additionalProperties: false }),
  agencies: Type.Array(Type.Object({
    memberId: nullable(Type.String()), name: nullable(Type.String()), nameFa: nullable(Type.String()),
    sla: Type.Array(Type.Object({
      serviceId: Type.String(), criterion: Type.Enum(['availability', 'p95-latency']), unit: Type.Enum(['percent', 'ms']),
      target: num, actual: num, off: num, supportHours: Type.String(), basis: Type.String(), answered: int, providerFailed: int,
      slaVersion: Type.String(), evaluatedAt: Type.String(),
    }, { additionalProperties: false })),
    mandates: Type.Array(Type.Object({
      id: Type.String(), titleFa: Type.String(), titleEn: Type.String(), resolution: Type.String(), deadline: Type.String(),
      status: Type.Enum(['not-met', 'overdue']), evidence: Type.String(),
    }, { additionalProperties: false })),
  }, { additionalProperties: false })),
}, { additionalProperties: false, description: 'Agencies that breached an SLA or missed a mandate in the month, with the evidence' });

export const SurveyStatus = Type.Object({
  from: Type.String(), to: Type.String(), total: int, online: int, used: int,
  summary: Type.String({ description: 'e.g. "20 of 25 online"' }),
  services: Type.Array(Type.Object({
    code: Type.String(), titleFa: Type.String(), titleEn: Type.String(),
    online: Type.Boolean({ description: 'a mapped service is registered' }),
    used: Type.Boolean({ description: 'a mapped service answered inquiries in the period' }),
    answered: int,
    services: Type.Array(Type.Object({ serviceId: Type.String(), registered: Type.Boolean(), answered: int }, { additionalProperties: false })),
  }, { additionalProperties: false })),
}, { additionalProperties: false, description: 'The UN e-government survey\'s services and their status' });
