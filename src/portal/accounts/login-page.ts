// The login page of the dashboard, Persian first: one form (user name, password), posted to /login.
// The failure notice is the same words whatever went wrong (unknown user, wrong password, locked
// account), so the page never tells a guesser which user names exist.
import { escapeHtml as esc } from '../../html/escape.ts';
import type { Lang } from '../dashboard/context.ts';
import { dashboardPage } from '../dashboard/layout.ts';

export type LoginNotice = 'failed' | 'throttled' | 'expired' | 'loggedOut' | null;

const TEXT = {
  fa: {
    title: 'ورود به درگاه', intro: 'این بخش ویژهٔ گردانندگان تبادل، کارگروه و بازرسان است. با حساب کاربری خود وارد شوید.',
    username: 'نام کاربری', password: 'گذرواژه', submit: 'ورود',
    failed: 'نام کاربری یا گذرواژه درست نیست، یا این حساب پس از ۵ تلاش نادرست برای ۱۵ دقیقه قفل شده است. دوباره بکوشید یا از گردانندهٔ تبادل بخواهید حساب را باز کند.',
    throttled: 'از این نشانی تلاش نادرست بسیار شده است. چند دقیقهٔ دیگر دوباره بکوشید.',
    expired: 'نشست شما به پایان رسیده است (۳۰ دقیقه بی‌کاری یا ۱۲ ساعت پس از ورود). دوباره وارد شوید.',
    loggedOut: 'از درگاه خارج شدید.',
    citizen: 'شهروندان: برای دیدن این‌که چه کسی اطلاعات شما را استعلام کرده، به صفحهٔ شهروند بروید.',
    openData: 'داده‌های باز تبادل برای همه در دسترس است.',
  },
  en: {
    title: 'Log in to the portal', intro: 'This part of the portal is for the exchange\'s operators, the working group and the inspectors. Log in with your own account.',
    username: 'User name', password: 'Password', submit: 'Log in',
    failed: 'The user name or password is wrong, or the account is locked for 15 minutes after 5 wrong passwords. Try again, or ask an operator of the exchange to unlock it.',
    throttled: 'Too many failed logins from this address. Try again in a few minutes.',
    expired: 'Your session has ended (30 minutes without use, or 12 hours after login). Log in again.',
    loggedOut: 'You have logged out.',
    citizen: 'Citizens: to see who looked up your data, open the citizen page.',
    openData: 'The exchange\'s open data is available to everyone.',
  },
} as const;

export function loginPage(o: { lang: Lang; notice: LoginNotice; username?: string; next?: string; citizenPage: boolean }): string {
  const t = TEXT[o.lang];
  const notice = o.notice === null ? ''
    : `<div class="notice ${o.notice === 'loggedOut' ? 'notice-info' : 'notice-error'}" role="${o.notice === 'loggedOut' ? 'status' : 'alert'}"><p>${esc(t[o.notice])}</p></div>`;
  const body = `<section class="login-card" aria-labelledby="login-intro">
<p id="login-intro">${esc(t.intro)}</p>
${notice}
<form method="post" action="/login" class="form login-form">
${o.next ? `<input type="hidden" name="next" value="${esc(o.next)}">` : ''}
<div class="field"><label for="username">${esc(t.username)}</label>
<input id="username" name="username" type="text" dir="ltr" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64" value="${esc(o.username ?? '')}"${o.notice === 'failed' ? '' : ' autofocus'}></div>
<div class="field"><label for="password">${esc(t.password)}</label>
<input id="password" name="password" type="password" dir="ltr" autocomplete="current-password" required maxlength="1024"${o.notice === 'failed' ? ' autofocus' : ''}></div>
<div class="actions"><button type="submit" class="button button-primary">${esc(t.submit)}</button></div>
</form>
<ul class="login-links">
${o.citizenPage ? `<li><a href="/citizen${o.lang === 'en' ? '?lang=en' : ''}">${esc(t.citizen)}</a></li>` : ''}
<li><a href="/open-data/catalog.json">${esc(t.openData)}</a></li>
</ul>
</section>`;
  return dashboardPage({ lang: o.lang, title: t.title, user: null, active: 'login', body, csrf: null });
}
