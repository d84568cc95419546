// The nodes page's body: first what needs doing, in sentences, then every node as the centre sees it
// (registration, witnessed heads, rollup pulls), the subsystems each serves, and the share of the
// period's exchanges each recorded, as a bar chart with its table.
import { chart, code, digits, esc, figure, figures, ms, notice, num, pct, table, when, type Lang } from './format.ts';
import { PULLS_OVERDUE, WITNESS_OVERDUE_MS, type Concern, type NodesData, type NodeView } from './nodes-data.ts';

export const NODES_PATH = '/dashboard/nodes';

/** Subsystems named in a sentence or a cell before "and N more". */
const LISTED = 5;

/** An identifier, option or command inside a sentence: left to right, in the code font. */
const C = code;

// The sentences (`say`) take and give HTML: every value they are given is escaped by their caller.
const T = {
  fa: {
    period: (f: string, t: string) => `دوره: ${f} تا ${t}`, from: 'از', to: 'تا', show: 'نمایش',
    periodHint: 'پیش‌فرض: ماه جاری تا امروز. تاریخ خورشیدی بنویسید (مانند ۱۴۰۳/۰۷/۰۱).',
    badPeriod: 'دوره پذیرفته نشد',
    todo: 'کارهایی که باید انجام شود', allWell: 'همهٔ گره‌ها سالم دیده می‌شوند',
    allWellText: 'هر گره استانی سرِ چینه‌های سوابقش را به‌موقع فرستاده است، مرکز آمار همه را کشیده است و هر زیرسامانه گره پشتیبان دارد.',
    nodes: 'گره‌های ثبت‌شده', node: 'گره', role: 'نقش', province: 'استان', url: 'نشانی درگاه گره‌به‌گره', recordKey: 'شناسهٔ کلید سوابق',
    roles: { central: 'مرکزی', provincial: 'استانی' }, notRegistered: 'ثبت نشده', none: '—',
    seen: 'وضعیت گره‌ها از دید مرکز', head: 'تازه‌ترین سرِ چینهٔ گواهی‌شده (رسیدن به مرکز)', age: 'گذشته از آن', chains: 'چینه‌ها', signed: 'امضا',
    pull: 'آخرین کشیدن آمار', lag: 'تأخیر', own: 'سوابق خود مرکز', noHead: 'هیچ', neverPulled: 'هرگز', notKnown: 'در این درگاه دیده نمی‌شود',
    overdue: 'دیر شده',
    seenHint: (limit: string, interval: string, command: string) => `سرِ چینه‌ای که بیش از ${limit} پیش رسیده دیر به شمار می‌آید (سه برابر فاصلهٔ پیش‌فرض ارسال، ${interval}). گره‌ای که در این مدت سابقه‌ای ننوشته سرِ تازه‌ای ندارد. سرهای یک گره را ${command} چاپ می‌کند.`,
    served: 'زیرسامانه‌هایی که هر گره ارائه می‌کند', home: 'گره اصلی برای', standby: 'گره پشتیبان برای', alone: 'بی پشتیبان',
    more: (n: string) => `و ${n} مورد دیگر`,
    share: 'سهم هر گره از تبادل‌ها', inquiries: 'تبادل', shareCol: 'سهم', answered: 'پاسخ‌داده‌شده', p95: 'زمان پاسخ (صدک ۹۵)',
    total: 'همهٔ تبادل‌های ثبت‌شده', nodesCount: 'گره‌ها', concerns: 'موارد نیازمند اقدام',
    noTraffic: 'در این دوره هیچ گره‌ای تبادلی ثبت نکرده است', noTrafficText: 'دورهٔ دیگری را انتخاب کنید؛ آمار گره‌های استانی پس از هر بار کشیدن آمار (هر دقیقه) اینجا می‌آید.',
    measured: (scenario: string, stats: string, api: string) => `این سهمِ اندازه‌گیری‌شده در برابر سهم شبیه‌سازی‌شده‌ای است که ${scenario} چاپ می‌کند؛ همین ارقام را ${stats} و ${api} می‌دهند. هر تبادل یک بار شمرده می‌شود، در گرهی که از آن پرسیده شد؛ تبادلی که از دو گره می‌گذرد در گره فراهم‌کننده فقط در سوابق و سنجه‌هایش می‌آید.`,
    duration: (n: number, unit: 's' | 'min' | 'h' | 'd') => `${digits('fa', n)} ${{ s: 'ثانیه', min: 'دقیقه', h: 'ساعت', d: 'روز' }[unit]}`,
    say: {
      'no-heads': (c: { node: string }) => `گره ${c.node}: مرکز هنوز هیچ سرِ چینه‌ای از این گره گواهی نکرده است، پس حذف سوابق تازه‌اش را نمی‌توان با نسخهٔ مرکز آشکار کرد. گره را با ${C('--central-node-id')} و ${C('--central-node-url')} راه بیندازید و کلید سوابقش را ثبت کنید (${C('tabadol node add … --record-key')}).`,
      'old-heads': (c: { node: string; age: string; limit: string }) => `گره ${c.node}: تازه‌ترین سرِ چینه‌ای که مرکز از آن گواهی کرده ${c.age} پیش رسیده است (بیش از ${c.limit}). یا گره از آن پس سابقه‌ای ننوشته، یا سرهایش دیگر به مرکز نمی‌رسد: در گزارش گره به دنبال ${C('could not send chain heads')} بگردید.`,
      'never-pulled': (c: { node: string; url: string }) => `گره ${c.node}: مرکز هرگز آمار این گره را از ${c.url} نکشیده است، پس تبادل‌هایش در آمار کشور نیست. بررسی کنید که گره روشن باشد، مرکز درگاه گره‌به‌گره داشته باشد و به این نشانی برسد.`,
      'not-reached': (c: { node: string; url: string; lag: string }) => `گره ${c.node}: مرکز ${c.lag} است که به ${c.url} نرسیده است (آخرین کشیدن موفق آمار). آمار این گره در همان زمان مانده است؛ شبکه و روشن بودن گره را بررسی کنید.`,
      'no-standby': (c: { node: string; count: string; list: string; one: boolean; command: string }) => `گره ${c.node} گره اصلی ${c.count} زیرسامانه است که هیچ گره پشتیبانی ندارند (${c.list}): اگر این گره بایستد، خدمات آن‌ها در دسترس نیست. پشتیبان بگذارید: ${c.command}`,
    },
  },
  en: {
    period: (f: string, t: string) => `Period: ${f} to ${t}`, from: 'From', to: 'To', show: 'Show',
    periodHint: 'By default this Jalali month to date. Write Jalali dates (e.g. 1403/07/01).',
    badPeriod: 'The period was not accepted',
    todo: 'What needs doing', allWell: 'Every node looks well',
    allWellText: 'Every provincial node sent its chain heads in time, the centre pulled everyone\'s statistics, and every subsystem has a standby node.',
    nodes: 'Registered nodes', node: 'Node', role: 'Role', province: 'Province', url: 'Node-port URL', recordKey: 'Record key id',
    roles: { central: 'Central', provincial: 'Provincial' }, notRegistered: 'not registered', none: '—',
    seen: 'The nodes as the centre sees them', head: 'Newest witnessed chain head (arrived)', age: 'Age', chains: 'Chains', signed: 'signed',
    pull: 'Last rollup pull', lag: 'Lag', own: 'the centre\'s own records', noHead: 'none', neverPulled: 'never', notKnown: 'not visible to this portal',
    overdue: 'overdue',
    seenHint: (limit: string, interval: string, command: string) => `A head that arrived more than ${limit} ago is overdue (three times the default sending interval, ${interval}). A node that recorded nothing meanwhile has no newer head. ${command} prints a node's heads.`,
    served: 'Subsystems each node serves', home: 'Home node of', standby: 'Standby for', alone: 'Without standby',
    more: (n: string) => `and ${n} more`,
    share: 'Share of exchanges per node', inquiries: 'Exchanges', shareCol: 'Share', answered: 'Answered', p95: 'Response time (95th percentile)',
    total: 'Exchanges recorded', nodesCount: 'Nodes', concerns: 'Needing action',
    noTraffic: 'No node recorded an exchange in this period', noTrafficText: 'Choose another period; the provincial nodes\' figures arrive with each rollup pull (every minute).',
    measured: (scenario: string, stats: string, api: string) => `This is the measured counterpart of the simulated share ${scenario} prints; ${stats} and ${api} give the same figures. Each exchange is counted once, on the node it was asked at; one that crossed two nodes is in the provider's node's records and metrics, not its figures here.`,
    duration: (n: number, unit: 's' | 'min' | 'h' | 'd') => `${n} ${{ s: n === 1 ? 'second' : 'seconds', min: n === 1 ? 'minute' : 'minutes', h: n === 1 ? 'hour' : 'hours', d: n === 1 ? 'day' : 'days' }[unit]}`,
    say: {
      'no-heads': (c: { node: string }) => `Node ${c.node}: the centre has witnessed no chain head of this node, so removing its newest records could not be caught against the centre's copy. Start it with ${C('--central-node-id')} and ${C('--central-node-url')}, and register its record key (${C('tabadol node add … --record-key')}).`,
      'old-heads': (c: { node: string; age: string; limit: string }) => `Node ${c.node}: the newest chain head the centre witnessed arrived ${c.age} ago (more than ${c.limit}). Either the node has recorded nothing since, or its heads no longer reach the centre: look for ${C('could not send chain heads')} in its log.`,
      'never-pulled': (c: { node: string; url: string }) => `Node ${c.node}: the centre has never pulled this node's rollups from ${c.url}, so its exchanges are missing from the country's statistics. Check that the node runs, that the centre has a node port, and that it reaches this URL.`,
      'not-reached': (c: { node: string; url: string; lag: string }) => `Node ${c.node}: the centre has not reached ${c.url} for ${c.lag} (its last successful rollup pull). Its statistics stop there; check the network and that the node runs.`,
      'no-standby': (c: { node: string; count: string; list: string; one: boolean; command: string }) => `Node ${c.node} is the home node of ${c.count} ${c.one ? 'subsystem' : 'subsystems'} with no standby (${c.list}): if it stops, ${c.one ? 'its' : 'their'} services cannot be reached. Add a standby: ${c.command}`,
    },
  },
} as const;

/** A duration as a person says it: the largest whole unit. */
export function duration(lang: Lang, msValue: number): string {
  const s = Math.floor(msValue / 1000);
  const say = T[lang].duration;
  if (s < 120) return say(s, 's');
  if (s < 7200) return say(Math.floor(s / 60), 'min');
  if (s < 172_800) return say(Math.floor(s / 3600), 'h');
  return say(Math.floor(s / 86_400), 'd');
}

const provinceName = (lang: Lang, n: NodeView) => (n.province ? (lang === 'fa' ? n.province.nameFa : n.province.nameEn) : null);

/** "p07 (Fars)": the node as a chart's label. */
const label = (lang: Lang, n: NodeView) => {
  const p = provinceName(lang, n);
  return p ? `${n.id} (${p})` : n.id;
};

function ids(lang: Lang, list: readonly string[], separator = ' '): string {
  if (list.length === 0) return esc(T[lang].none);
  const shown = list.slice(0, LISTED).map(code).join(separator);
  return list.length > LISTED ? `${shown} ${esc(T[lang].more(num(lang, list.length - LISTED)))}` : shown;
}

/** The sentence of a concern, as HTML (identifiers and commands in <code>). */
export function concernHtml(lang: Lang, c: Concern): string {
  const say = T[lang].say;
  const node = code(c.node);
  const limit = esc(duration(lang, WITNESS_OVERDUE_MS));
  switch (c.kind) {
    case 'no-heads': return say['no-heads']({ node });
    case 'old-heads': return say['old-heads']({ node, age: esc(duration(lang, c.ageMs)), limit });
    case 'never-pulled': return say['never-pulled']({ node, url: code(c.url) });
    case 'not-reached': return say['not-reached']({ node, url: code(c.url), lag: esc(duration(lang, c.lagMs)) });
    case 'no-standby': {
      // Latin placeholders in both languages: the command is typed as it stands, and Persian words inside it would reorder it.
      const command = code(`tabadol subsystem nodes <ID> ${c.node} <OTHER-NODE>`);
      return say['no-standby']({ node, count: esc(num(lang, c.subsystems.length)), list: ids(lang, c.subsystems, lang === 'fa' ? '، ' : ', '), one: c.subsystems.length === 1, command });
    }
  }
}

function concernsHtml(lang: Lang, d: NodesData): string {
  const t = T[lang];
  if (d.concerns.length === 0) return notice('ok', t.allWell, t.allWellText);
  // One list, not an alert per line: the page opens on it, a screen reader reads it in order.
  const items = d.concerns.map((c) => `<li data-concern="${esc(c.kind)}" data-node="${esc(c.node)}">${concernHtml(lang, c)}</li>`).join('');
  return `<div class="notice notice-warn"><p><strong>${esc(t.todo)}</strong></p><ul>${items}</ul></div>`;
}

function registeredTable(lang: Lang, d: NodesData): string {
  const t = T[lang];
  const rows = d.nodes.map((n) => [
    code(n.id),
    esc(t.roles[n.role]) + (n.registered ? '' : ` <small>(${esc(t.notRegistered)})</small>`),
    n.province ? `${esc(provinceName(lang, n)!)} <small class="id">${code(n.province.code)}</small>` : esc(t.none),
    n.url ? code(n.url) : esc(t.none),
    n.recordKeyId ? code(n.recordKeyId) : esc(t.none),
  ]);
  return `<section aria-labelledby="nodes-list-h"><h2 id="nodes-list-h">${esc(t.nodes)}</h2>`
    + table(t.nodes, [{ head: t.node, nowrap: true }, { head: t.role, nowrap: true }, { head: t.province, nowrap: true }, { head: t.url, nowrap: true }, { head: t.recordKey }], rows, '', { hideCaption: true })
    + `</section>`;
}

function seenTable(lang: Lang, d: NodesData): string {
  const t = T[lang];
  const late = (text: string) => `<strong>${esc(text)} — ${esc(t.overdue)}</strong>`;
  const rows = d.nodes.map((n) => {
    const central = n.id === d.centralNode;
    const head = central ? [esc(t.own), esc(t.none), esc(t.none)]
      : n.heads === null ? [`<strong>${esc(t.noHead)}</strong>`, esc(t.none), esc(t.none)]
        : [
          `${when(lang, n.heads.receivedAt)} <small>(${esc(t.signed)} ${when(lang, n.heads.signedAt)})</small>`,
          `<span data-head-age="${esc(n.id)}">${n.heads.ageMs > WITNESS_OVERDUE_MS ? late(duration(lang, n.heads.ageMs)) : esc(duration(lang, n.heads.ageMs))}</span>`,
          num(lang, n.heads.chains),
        ];
    const overduePull = (lag: number) => d.pullIntervalMs !== null && lag > PULLS_OVERDUE * d.pullIntervalMs;
    const pull = central ? [esc(t.own), esc(t.none)]
      : n.pull === undefined ? [esc(t.notKnown), esc(t.none)]
        : n.pull === null ? [`<strong>${esc(t.neverPulled)}</strong>`, esc(t.none)]
          : [when(lang, n.pull.at), `<span data-pull-lag="${esc(n.id)}">${overduePull(n.pull.lagMs) ? late(duration(lang, n.pull.lagMs)) : esc(duration(lang, n.pull.lagMs))}</span>`];
    return [code(n.id), ...head, ...pull];
  });
  return `<section aria-labelledby="nodes-seen-h"><h2 id="nodes-seen-h">${esc(t.seen)}</h2>`
    + table(t.seen, [{ head: t.node, nowrap: true }, { head: t.head }, { head: t.age, nowrap: true }, { head: t.chains, numeric: true }, { head: t.pull }, { head: t.lag, nowrap: true }], rows, '', { hideCaption: true })
    + `<p class="hint">${t.seenHint(esc(duration(lang, WITNESS_OVERDUE_MS)), esc(duration(lang, WITNESS_OVERDUE_MS / 3)), code('tabadol audit witnessed --node <ID>'))}</p></section>`;
}

function servedTable(lang: Lang, d: NodesData): string {
  const t = T[lang];
  const rows = d.nodes.map((n) => [code(n.id), ids(lang, n.home), ids(lang, n.standby), n.alone.length > 0 ? `<strong>${num(lang, n.alone.length)}</strong>` : num(lang, 0)]);
  return `<section aria-labelledby="nodes-served-h"><h2 id="nodes-served-h">${esc(t.served)}</h2>`
    + table(t.served, [{ head: t.node, nowrap: true }, { head: t.home, wide: true }, { head: t.standby, wide: true }, { head: t.alone, numeric: true }], rows, '', { hideCaption: true })
    + `</section>`;
}

function shareHtml(lang: Lang, d: NodesData): string {
  const t = T[lang];
  const carrying = d.nodes.filter((n) => n.line.count > 0).sort((a, b) => b.line.count - a.line.count || a.id.localeCompare(b.id));
  const body = d.total.count === 0 ? notice('empty', t.noTraffic, t.noTrafficText) : chart(
    { id: 'chart-nodes', kind: 'bar', title: t.share, labels: carrying.map((n) => label(lang, n)), series: [{ name: t.inquiries, values: carrying.map((n) => n.line.count) }] },
    {
      columns: [{ head: t.node, nowrap: true }, { head: t.province }, { head: t.inquiries, numeric: true }, { head: t.shareCol, numeric: true }, { head: t.answered, numeric: true }, { head: t.p95, numeric: true }],
      rows: carrying.map((n) => [
        code(n.id), esc(provinceName(lang, n) ?? t.none), `<span data-node-count="${esc(n.id)}">${num(lang, n.line.count)}</span>`,
        pct(lang, n.line.share), num(lang, n.line.answered), ms(lang, n.line.p95Ms),
      ]),
      empty: t.noTrafficText,
    }, lang);
  return `<section aria-labelledby="nodes-share-h"><h2 id="nodes-share-h">${esc(t.share)}</h2>${body}<p class="hint">${t.measured(code('tabadol scenario country'), code('tabadol stats --by node'), code('GET /v1/stats?by=node'))}</p></section>`;
}

export function nodesHtml(lang: Lang, d: NodesData, typed: { from: string; to: string }, problem?: string): string {
  const t = T[lang];
  const form = `<form method="get" action="${NODES_PATH}" class="toolbar"><fieldset><legend>${esc(t.period(digits(lang, d.from), digits(lang, d.to)))}</legend>`
    + `<label>${esc(t.from)} <input name="from" value="${esc(typed.from)}" inputmode="numeric" dir="ltr" aria-describedby="nodes-period-hint"></label> `
    + `<label>${esc(t.to)} <input name="to" value="${esc(typed.to)}" inputmode="numeric" dir="ltr" aria-describedby="nodes-period-hint"></label> `
    + `<button type="submit">${esc(t.show)}</button><p id="nodes-period-hint" class="hint">${esc(t.periodHint)}</p></fieldset></form>`
    + (problem ? notice('error', t.badPeriod, problem) : '');
  const heads = figures([
    figure(t.nodesCount, num(lang, d.nodes.length)),
    figure(t.concerns, `<span data-figure="concerns">${num(lang, d.concerns.length)}</span>`),
    figure(t.total, `<span data-figure="exchanges">${num(lang, d.total.count)}</span>`),
  ]);
  return `${concernsHtml(lang, d)}${heads}${seenTable(lang, d)}${servedTable(lang, d)}${form}${shareHtml(lang, d)}${registeredTable(lang, d)}`;
}
