// The mobile-government list at /citizen/services: public, no login, Persian first. For each provider
// agency, the three services it answered most this Jalali year, described plainly (the service's
// title and the agency's name), agencies in order of use. Read from the rollups through the
// statistics reader (two indexed reads of month and day rows) and named from the registry; nothing
// about any person is in it.
import type { FastifyPluginAsync } from 'fastify';
import { toPersianDigits } from '../dates/jalali.ts';
import { escapeHtml as esc } from '../html/escape.ts';
import type { StatsQueries } from '../oversight/rollup-reader.ts';
import type { Registry } from '../registry/registry.ts';
import { pageContext, type Lang } from './dashboard/context.ts';
import { dashboardPage } from './dashboard/layout.ts';
import { notice } from './dashboard/pages/format.ts';
import { yearToDate } from './dashboard/pages/overview-data.ts';

export const CITIZEN_SERVICES_PATH = '/citizen/services';
const PER_AGENCY = 3;

export interface AgencyServices {
  memberId: string;
  name: string;
  nameFa: string | null;
  answered: number;
  services: { id: string; title: string; answered: number }[];
}

export async function mostUsedServices(stats: StatsQueries, registry: Registry, now: Date): Promise<{ year: number; agencies: AgencyServices[] }> {
  const period = yearToDate(now);
  const [lines, services, members] = await Promise.all([
    Promise.resolve(stats.query({ ...period, by: 'service', compare: false })).then((a) => a.lines),
    registry.listServices(), registry.listMembers(),
  ]);
  const titles = new Map(services.map((s) => [s.id, s.title]));
  const names = new Map(members.map((m) => [m.id, m]));
  const agencies = new Map<string, AgencyServices>();
  // Only services still registered, with inquiries answered: a list of what a citizen can use today.
  for (const l of lines) {
    const title = titles.get(l.key);
    if (title === undefined || l.answered === 0) continue;
    const memberId = l.key.split('/').slice(0, 3).join('/');
    const m = names.get(memberId);
    if (!m) continue;
    let a = agencies.get(memberId);
    if (!a) agencies.set(memberId, (a = { memberId, name: m.name, nameFa: m.name_fa, answered: 0, services: [] }));
    a.answered += l.answered;
    a.services.push({ id: l.key, title, answered: l.answered });
  }
  const list = [...agencies.values()].sort((x, y) => y.answered - x.answered || x.memberId.localeCompare(y.memberId));
  for (const a of list) a.services = a.services.sort((x, y) => y.answered - x.answered || x.id.localeCompare(y.id)).slice(0, PER_AGENCY);
  return { year: period.from.year, agencies: list };
}

const T = {
  fa: {
    title: 'خدمات دولت همراه', intro: (y: string) => `پرکاربردترین خدمات هر دستگاه در سال ${y}: سه خدمتی که هر دستگاه بیش از همه از طریق مرکز تبادل اطلاعات پاسخ داده است.`,
    agency: 'دستگاه', uses: (n: string) => `${n} بار در این سال`, empty: 'هنوز خدمتی در این سال استفاده نشده است.',
    emptyText: 'این فهرست از آمار همین سال ساخته می‌شود؛ کمی بعد دوباره سر بزنید.', note: 'این فهرست هیچ اطلاعاتی دربارهٔ اشخاص ندارد؛ فقط شمار استفاده از هر خدمت.',
  },
  en: {
    title: 'Mobile government services', intro: (y: string) => `The most used services of each agency in ${y}: the three services each agency answered most through the information exchange.`,
    agency: 'Agency', uses: (n: string) => `used ${n} times this year`, empty: 'No service has been used this year yet.',
    emptyText: 'This list is built from this year\'s statistics; look again later.', note: 'This list holds nothing about any person: only how often each service was used.',
  },
} as const;

const count = (lang: Lang, n: number) => (lang === 'fa' ? new Intl.NumberFormat('fa-IR').format(n) : new Intl.NumberFormat('en-US').format(n));

export function citizenServicesHtml(lang: Lang, d: { year: number; agencies: AgencyServices[] }): string {
  const t = T[lang];
  const year = lang === 'fa' ? toPersianDigits(String(d.year)) : String(d.year);
  const list = d.agencies.length === 0
    ? notice('empty', t.empty, t.emptyText)
    : `<ol class="cards cards-wide">${d.agencies.map((a) => {
      const name = lang === 'fa' ? a.nameFa ?? a.name : a.name;
      return `<li class="card"><h2>${esc(name)}</h2><ol>${a.services.map((s) =>
        `<li><span class="service-title">${esc(s.title)}</span> <small class="hint">${esc(t.uses(count(lang, s.answered)))}</small></li>`).join('')}</ol></li>`;
    }).join('')}</ol>`;
  return `<p>${esc(t.intro(year))}</p>${list}<p class="hint">${esc(t.note)}</p>`;
}

export function citizenServicesRoutes(o: { stats: StatsQueries; registry: Registry; now: () => number }): FastifyPluginAsync {
  return async (app) => {
    app.get(CITIZEN_SERVICES_PATH, async (req, reply) => {
      const { lang } = pageContext(req);
      const data = await mostUsedServices(o.stats, o.registry, new Date(o.now()));
      return reply.type('text/html; charset=utf-8')
        .send(dashboardPage({ lang, title: T[lang].title, user: null, active: '', csrf: null, body: citizenServicesHtml(lang, data) }));
    });
  };
}
