// The UN e-government survey tracker (issue "Oversight", item 10): each service the survey looks for,
// the Tabadol services mapped to it, and its status: online when a mapped service is registered,
// used when one of them answered inquiries in the period; "20 of 25 online", as the 1399 report counts.
import { formatJalali, type JalaliDate } from '../dates/jalali.ts';
import type { StatsQueries } from '../oversight/rollup-reader.ts';
import type { Registry } from '../registry/registry.ts';

export interface SurveyServiceStatus {
  code: string;
  titleFa: string;
  titleEn: string;
  online: boolean;
  used: boolean;
  answered: number;
  services: { serviceId: string; registered: boolean; answered: number }[];
}

export interface SurveyStatus {
  from: string;
  to: string;
  total: number;
  online: number;
  used: number;
  /** "20 of 25 online". */
  summary: string;
  services: SurveyServiceStatus[];
}

export async function surveyStatus(stats: StatsQueries, registry: Registry, period: { from: JalaliDate; to: JalaliDate }): Promise<SurveyStatus> {
  const [survey, services] = await Promise.all([registry.oversight.listSurvey(), registry.listServices()]);
  const registered = new Set(services.map((s) => s.id));
  const answered = new Map((await stats.query({ from: period.from, to: period.to, by: 'service', compare: false })).lines.map((l) => [l.key, l.answered]));
  const rows = survey.map((s): SurveyServiceStatus => {
    const mapped = s.services.map((id) => ({ serviceId: id, registered: registered.has(id), answered: answered.get(id) ?? 0 }));
    const n = mapped.reduce((sum, m) => sum + m.answered, 0);
    return { code: s.code, titleFa: s.titleFa, titleEn: s.titleEn, online: mapped.some((m) => m.registered), used: n > 0, answered: n, services: mapped };
  });
  const online = rows.filter((r) => r.online).length;
  return {
    from: formatJalali(period.from), to: formatJalali(period.to),
    total: rows.length, online, used: rows.filter((r) => r.used).length,
    summary: `${online} of ${rows.length} online`,
    services: rows,
  };
}
