// The inspectors' monthly list as CSV (RFC 4180, csv.ts): one line per SLA breach or missed mandate.
import { csvText } from './csv.ts';
import type { ViolationsReport } from './violations.ts';

const HEADER = [
  'month', 'agency_id', 'agency_name', 'agency_name_fa', 'kind', 'subject', 'criterion', 'target', 'actual', 'off', 'unit',
  'status', 'deadline', 'evidence',
];

export function violationsCsv(r: ViolationsReport): string {
  const rows = r.agencies.flatMap((a) => [
    ...a.sla.map((v) => [
      r.month, a.memberId, a.name, a.nameFa, 'sla', v.serviceId, v.criterion, v.target, v.actual, v.off, v.unit, 'breached', null,
      `${v.answered} answered, ${v.providerFailed} failed at the provider within support hours (${v.supportHours}; from ${v.basis} rows); SLA version ${v.slaVersion}`,
    ]),
    ...a.mandates.map((m) => [
      r.month, a.memberId, a.name, a.nameFa, 'mandate', m.id, m.titleEn, null, null, null, null, m.status, m.deadline, `${m.resolution}: ${m.evidence}`,
    ]),
  ]);
  return csvText(HEADER, rows);
}
