// The one HTML document every dashboard page is: Persian first (lang="fa" dir="rtl") or English
// (ltr), the Vazirmatn font and the stylesheet from /assets (nothing from outside: the CSP allows
// 'self' only), a skip link, the navigation of the user's role, the language switch, the logout form
// with its CSRF token, and the page's own body. No inline script or style: the one client script is
// /assets/dashboard.js, deferred; it loads ECharts (/assets/echarts.min.js) only on a page with a chart.
// The title is the page's one <h1>: a page's body starts at <h2>. Every value that did not come from this file is escaped.
import { escapeHtml as esc } from '../../html/escape.ts';
import type { DashboardUser, Lang, Role } from './context.ts';

export const ASSET_PATHS = {
  css: '/assets/dashboard.css',
  js: '/assets/dashboard.js',
  echarts: '/assets/echarts.min.js',
  font: '/assets/vazirmatn.woff2',
} as const;

interface NavItem { key: string; href: string; fa: string; en: string; roles?: Role[] }
interface NavGroup { fa: string; en: string; items: NavItem[] }

/** The navigation; a page names its item by `key` as `active`. Every role reads every page; an item
 * with `roles` is shown only to those roles. */
export const NAV: readonly NavGroup[] = [
  { fa: 'نمای کلی', en: 'Overview', items: [
    { key: 'overview', href: '/dashboard', fa: 'نمای کلی تبادل', en: 'Exchange overview' },
    { key: 'nodes', href: '/dashboard/nodes', fa: 'گره‌های تبادل', en: 'The exchange\'s nodes', roles: ['operator', 'overseer'] },
  ] },
  { fa: 'ثبت', en: 'Registry', items: [
    { key: 'members', href: '/dashboard/registry/members', fa: 'اعضا و زیرسامانه‌ها', en: 'Members and subsystems' },
    { key: 'services', href: '/dashboard/registry/services', fa: 'خدمات', en: 'Services' },
    { key: 'access', href: '/dashboard/registry/access', fa: 'مجوزهای دسترسی', en: 'Access rights' },
    { key: 'certificates', href: '/dashboard/registry/certificates', fa: 'گواهی‌ها', en: 'Certificates' },
  ] },
  { fa: 'نظارت', en: 'Oversight', items: [
    { key: 'sla', href: '/dashboard/oversight/sla', fa: 'سطح خدمت', en: 'Service levels' },
    { key: 'mandates', href: '/dashboard/oversight/mandates', fa: 'مصوبات', en: 'Mandates' },
    { key: 'violations', href: '/dashboard/oversight/violations', fa: 'گزارش تخلفات', en: 'Violations' },
    { key: 'survey', href: '/dashboard/oversight/survey', fa: 'پیمایش سازمان ملل', en: 'UN survey' },
    { key: 'open-data', href: '/dashboard/oversight/open-data', fa: 'داده‌های باز', en: 'Open data' },
    { key: 'report', href: '/dashboard/oversight/report', fa: 'گزارش سال', en: 'Yearly report' },
  ] },
];

const TEXT = {
  fa: {
    dir: 'rtl', site: 'درگاه تبادل اطلاعات', skip: 'پرش به محتوا', nav: 'بخش‌های درگاه', other: 'English', otherLang: 'en',
    logout: 'خروج', loggedInAs: 'کاربر', login: 'ورود',
    roles: { operator: 'گرداننده', overseer: 'کارگروه (ناظر)', inspector: 'بازرس' } as Record<Role, string>,
    footer: 'مرکز تبادل اطلاعات — تاریخ‌ها به تقویم هجری خورشیدی و ساعت تهران',
  },
  en: {
    dir: 'ltr', site: 'Information exchange portal', skip: 'Skip to content', nav: 'Portal sections', other: 'فارسی', otherLang: 'fa',
    logout: 'Log out', loggedInAs: 'User', login: 'Log in',
    roles: { operator: 'Operator', overseer: 'Working group (overseer)', inspector: 'Inspector' } as Record<Role, string>,
    footer: 'Information exchange centre — dates in the Solar Hijri calendar, Tehran time',
  },
} as const;

function nav(lang: Lang, user: DashboardUser, active: string): string {
  const groups = NAV.map((g) => {
    const items = g.items.filter((i) => !i.roles || i.roles.includes(user.role));
    if (!items.length) return '';
    const lis = items.map((i) => `<li><a href="${esc(i.href)}"${i.key === active ? ' aria-current="page"' : ''}>${esc(i[lang])}</a></li>`).join('');
    return `<li class="nav-group"><span class="nav-group-title">${esc(g[lang])}</span><ul>${lis}</ul></li>`;
  }).join('');
  return `<nav class="site-nav" id="site-nav" aria-label="${esc(TEXT[lang].nav)}"><ul>${groups}</ul></nav>`;
}

export function dashboardPage(o: { lang: Lang; title: string; user: DashboardUser | null; active: string; body: string; csrf: string | null }): string {
  const t = TEXT[o.lang];
  const userBox = o.user
    ? `<div class="user-box"><span class="user-name"><span class="visually-hidden">${esc(t.loggedInAs)}: </span><bdi>${esc(o.user.username)}</bdi></span>`
      + ` <span class="role-badge role-${esc(o.user.role)}">${esc(t.roles[o.user.role])}</span>`
      + `<form method="post" action="/logout" class="logout-form"><input type="hidden" name="_csrf" value="${esc(o.csrf ?? '')}">`
      + `<button type="submit" class="button-link">${esc(t.logout)}</button></form></div>`
    : '';
  return `<!doctype html>
<html lang="${o.lang}" dir="${t.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(o.title)} — ${esc(t.site)}</title>
<link rel="preload" href="${ASSET_PATHS.font}" as="font" type="font/woff2" crossorigin>
<link rel="stylesheet" href="${ASSET_PATHS.css}">
<script src="${ASSET_PATHS.js}" defer></script>
</head>
<body class="${o.user ? 'has-nav' : 'no-nav'}">
<a class="skip-link" href="#main">${esc(t.skip)}</a>
<header class="site-header">
<a class="site-title" href="${o.user ? '/dashboard' : '/citizen/services'}">${esc(t.site)}</a>
<div class="header-tools">
<a class="lang-switch" href="/lang?to=${t.otherLang}" hreflang="${t.otherLang}" lang="${t.otherLang}" data-lang-switch>${esc(t.other)}</a>
${userBox}
</div>
</header>
<div class="layout">
${o.user ? nav(o.lang, o.user, o.active) : ''}
<main id="main" tabindex="-1">
<h1>${esc(o.title)}</h1>
${o.body}
</main>
</div>
<footer class="site-footer"><p>${esc(t.footer)}</p></footer>
</body>
</html>
`;
}
