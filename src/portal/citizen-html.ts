// The citizen's pages as server-rendered HTML: no script at all (the portal's CSP allows none inline,
// and the pages need none), one stylesheet of the portal's own, Persian first (lang="fa" dir="rtl",
// Persian digits, Jalali dates) and English on the switch. Every value that did not come from this
// file is escaped (HTML §13.1.2.6 and §13.1.2.3); text from registries and callers (names, purposes)
// is isolated with <bdi> so a right-to-left name cannot reorder the text around it (Unicode UAX #9).
import { escapeHtml } from '../html/escape.ts';
import { formatInstant, toPersianDigits } from '../dates/jalali.ts';
import type { Problem, Typed } from './citizen-form.ts';
import type { UsageEntry, UsagePage } from './citizen-tracker-client.ts';
import { TEXT, type CitizenText, type Lang } from './citizen-text.ts';

export const CITIZEN_PATH = '/citizen';
export const CITIZEN_POST_PATH = '/citizen/usage';
export const CITIZEN_CSS_PATH = '/citizen/citizen.css';

export const esc: (s: string) => string = escapeHtml;

const digits = (lang: Lang, s: string) => (lang === 'fa' ? toPersianDigits(s) : s);

function page(lang: Lang, title: string, main: string, langSwitch: string): string {
  const t = TEXT[lang];
  return `<!doctype html>
<html lang="${lang}" dir="${t.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)} — ${esc(t.site)}</title>
<link rel="stylesheet" href="${CITIZEN_CSS_PATH}">
</head>
<body>
<a class="skip" href="#main">${esc(t.skip)}</a>
<header class="top">
<div class="stand-in" role="note"><p><strong>${esc(t.banner)}</strong></p><p>${esc(t.bannerMore)}</p></div>
<div class="bar"><p class="site">${esc(t.site)}</p>${langSwitch}</div>
</header>
<main id="main" tabindex="-1">
${main}
</main>
<footer class="foot"><p>${esc(t.footer)}</p></footer>
</body>
</html>
`;
}

/** The switch on pages without a list: a link that carries nothing but the language. */
function switchLink(t: CitizenText): string {
  const other = t.otherLang;
  return `<nav class="lang" aria-label="${esc(t.switchLabel)}"><a href="${CITIZEN_PATH}?lang=${other.code}" lang="${other.code}" hreflang="${other.code}">${esc(other.name)}</a></nav>`;
}

function hidden(fields: Record<string, string | undefined>): string {
  return Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => `<input type="hidden" name="${k}" value="${esc(v!)}">`).join('');
}

export interface FormView {
  lang: Lang;
  typed: Typed;
  problems?: Problem[];
  /** A message above the form (a refusal, the tracker unavailable), with its coded type. */
  notice?: { title: string; text: string; type: string; detail?: string };
}

function fieldProblem(p: Problem[], field: 'nationalCode' | 'from' | 'to'): Problem | undefined {
  if (field === 'nationalCode') return p.find((x) => x === 'badCode');
  if (field === 'from') return p.find((x) => x === 'badFrom' || x === 'fromAfterTo');
  return p.find((x) => x === 'badTo');
}

function input(t: CitizenText, v: FormView, field: 'nationalCode' | 'from' | 'to', value: string, o: { hint: string; maxlength: number; autocomplete: string }): string {
  const problem = fieldProblem(v.problems ?? [], field);
  const hintId = `${field}-hint`;
  const errId = `${field}-error`;
  const described = problem ? `${errId} ${hintId}` : hintId;
  return `<div class="field${problem ? ' invalid' : ''}">
<label for="${field}">${esc(t[field])}</label>
<p class="hint" id="${hintId}">${esc(o.hint)}</p>
${problem ? `<p class="error" id="${errId}">${esc(t[problem])}</p>` : ''}
<input id="${field}" name="${field}" type="text" inputmode="numeric" dir="ltr" required maxlength="${o.maxlength}" autocomplete="${o.autocomplete}" spellcheck="false" value="${esc(value)}" aria-describedby="${described}"${problem ? ' aria-invalid="true"' : ''}>
</div>`;
}

/** The stand-in login: national code and period; POSTed, so the code never enters a URL. */
function form(v: FormView): string {
  const t = TEXT[v.lang];
  const problems = v.problems ?? [];
  const summary = problems.length === 0 ? '' : `<div class="problems" role="alert"><h2>${esc(t.problems)}</h2><ul>${problems.map((p) => {
    const field = p === 'badCode' ? 'nationalCode' : p === 'badTo' ? 'to' : 'from';
    return `<li><a href="#${field}">${esc(t[p])}</a></li>`;
  }).join('')}</ul></div>`;
  return `<section aria-labelledby="form-title">
<h2 id="form-title">${esc(t.formTitle)}</h2>
${summary}
<form method="post" action="${CITIZEN_POST_PATH}" class="ask" novalidate>
${hidden({ lang: v.lang })}
${input(t, v, 'nationalCode', v.typed.nationalCode, { hint: t.nationalCodeHint, maxlength: 16, autocomplete: 'off' })}
<div class="period">
${input(t, v, 'from', v.typed.from, { hint: t.dateHint, maxlength: 12, autocomplete: 'off' })}
${input(t, v, 'to', v.typed.to, { hint: t.dateHint, maxlength: 12, autocomplete: 'off' })}
</div>
<button type="submit">${esc(t.submit)}</button>
</form>
</section>`;
}

function notice(lang: Lang, n: NonNullable<FormView['notice']>): string {
  const t = TEXT[lang];
  return `<div class="notice" role="alert"><h2>${esc(n.title)}</h2><p>${esc(n.text)}</p>`
    + `<p class="code">${esc(t.errorCode)}: <bdi dir="ltr">${esc(n.type)}</bdi>${n.detail ? ` <bdi dir="ltr">(${esc(n.detail)})</bdi>` : ''}</p></div>`;
}

/** The form page: empty, with the person's own input and its problems, or after a failure. */
export function formPage(v: FormView): string {
  const t = TEXT[v.lang];
  const main = `<h1>${esc(t.title)}</h1>
<p class="intro">${esc(t.intro)}</p>
${v.notice ? notice(v.lang, v.notice) : ''}
${form(v)}`;
  return page(v.lang, t.title, main, switchLink(t));
}

/** A refusal that has no form to show again (a cross-site post, an oversized or foreign body). */
export function refusalPage(lang: Lang, n: NonNullable<FormView['notice']>): string {
  const t = TEXT[lang];
  const main = `<h1>${esc(n.title)}</h1>
${notice(lang, n)}
<p><a class="button" href="${CITIZEN_PATH}${lang === 'en' ? '?lang=en' : ''}">${esc(t.backToForm)}</a></p>`;
  return page(lang, n.title, main, switchLink(t));
}

function name(lang: Lang, m: { id?: string; nameEn?: string | null; nameFa?: string | null } | undefined, fallback: string): string {
  const text = (lang === 'fa' ? m?.nameFa ?? m?.nameEn : m?.nameEn ?? m?.nameFa) ?? m?.id ?? fallback;
  return `<bdi>${esc(text)}</bdi>`;
}

function row(lang: Lang, e: UsageEntry): string {
  const t = TEXT[lang];
  const when = formatInstant(new Date(e.time), { digits: lang === 'fa' ? 'persian' : 'latin' });
  const system = e.client.subsystemName ?? e.client.id.split('/').slice(3).join('/');
  const service = e.service.title ?? e.service.id.split('/').slice(3).join('/');
  const outcome = e.outcome === 'answered'
    ? `<span class="ok">${esc(t.answered)}</span>`
    : `<span class="no">${esc(t.refused)}</span>${e.errorType ? ` <bdi dir="ltr" class="small">${esc(e.errorType)}</bdi>` : ''}`;
  return `<tr>
<td data-label="${esc(t.cols.when)}"><time datetime="${esc(e.time)}">${esc(when)}</time></td>
<td data-label="${esc(t.cols.who)}"><strong>${name(lang, e.client.member, e.client.id)}</strong><br><span class="small"><bdi>${esc(system)}</bdi></span></td>
<td data-label="${esc(t.cols.what)}"><bdi>${esc(service)}</bdi><br><span class="small">${esc(t.asked)} ${name(lang, e.service.provider, e.service.id)}</span></td>
<td data-label="${esc(t.cols.why)}">${e.purpose ? `<bdi>${esc(e.purpose)}</bdi>` : `<span class="small">${esc(t.notStated)}</span>`}</td>
<td data-label="${esc(t.cols.outcome)}">${outcome}</td>
<td data-label="${esc(t.cols.ref)}"><bdi dir="ltr" class="small ref">${esc(e.requestId)}</bdi></td>
</tr>`;
}

export interface ListView {
  lang: Lang;
  typed: Typed;
  /** The question asked, in Latin digits: carried in the hidden fields of "more" and the switch. */
  question: { nationalCode: string; from: string; to: string };
  page: UsagePage;
}

/** The list of one page of entries, with "more" and the language switch as forms that re-post. */
export function listPage(v: ListView): string {
  const t = TEXT[v.lang];
  const q = v.question;
  const repost = (extra: Record<string, string>, label: string, cls: string, attrs = '') =>
    `<form method="post" action="${CITIZEN_POST_PATH}" class="${cls}">${hidden({ nationalCode: q.nationalCode, from: q.from, to: q.to, ...extra })}<button type="submit"${attrs}>${label}</button></form>`;
  const other = t.otherLang;
  const langSwitch = `<nav class="lang" aria-label="${esc(t.switchLabel)}">${repost({ lang: other.code }, `<span lang="${other.code}">${esc(other.name)}</span>`, 'inline', ' class="link"')}</nav>`;
  const entries = v.page.entries;
  const list = entries.length === 0
    ? `<div class="empty" role="status"><p><strong>${esc(t.empty)}</strong></p><p>${esc(t.emptyWhat)}</p></div>`
    : `<p role="status">${esc(t.onPage(digits(v.lang, String(entries.length))))}</p>
<div class="table-wrap">
<table class="usage">
<caption>${esc(t.caption)}</caption>
<thead><tr><th scope="col">${esc(t.cols.when)}</th><th scope="col">${esc(t.cols.who)}</th><th scope="col">${esc(t.cols.what)}</th><th scope="col">${esc(t.cols.why)}</th><th scope="col">${esc(t.cols.outcome)}</th><th scope="col">${esc(t.cols.ref)}</th></tr></thead>
<tbody>
${entries.map((e) => row(v.lang, e)).join('\n')}
</tbody>
</table>
</div>`;
  // Said before the list, so that a person reads it before concluding that nothing else happened.
  const nodes = v.page.incomplete.map((n) => `<bdi dir="ltr">${esc(n)}</bdi>`).join(v.lang === 'fa' ? '، ' : ', ');
  // The sentence is escaped around the node ids, which are escaped each and isolated (<bdi>).
  const [before, after] = t.incomplete('\u0000').split('\u0000');
  const partial = v.page.incomplete.length === 0 ? '' : `<div class="notice partial" role="status"><p>${esc(before ?? '')}${nodes}${esc(after ?? '')}</p></div>`;
  const more = v.page.nextCursor ? repost({ lang: v.lang, cursor: v.page.nextCursor }, esc(t.more), 'more') : '';
  const main = `<h1>${esc(t.resultsTitle)}</h1>
<p class="intro">${esc(t.period(digits(v.lang, q.from), digits(v.lang, q.to)))}</p>
${partial}
${list}
${more}
<p><a class="button secondary" href="${CITIZEN_PATH}${v.lang === 'en' ? '?lang=en' : ''}">${esc(t.newSearch)}</a></p>
<p class="small omitted">${esc(t.omitted)}</p>`;
  return page(v.lang, t.resultsTitle, main, langSwitch);
}
