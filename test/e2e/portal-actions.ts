// What a person does on the portal, as browser steps the tests share: log in, switch the language,
// read a figure. Elements are found by their visible labels and roles (what a screen reader user
// finds too) in either language, or by the form field names the login contract fixes.
import type { Page } from 'playwright-core';
import type { DemoAccount } from './demo-node.ts';

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC_DIGITS = '٠١٢٣٤٥٦٧٨٩';

/** A number as the portal writes it (Persian or Latin digits, thousands separators) as a number. */
export function readNumber(text: string): number {
  const latin = text.replace(/[۰-۹]/g, (d) => String(PERSIAN_DIGITS.indexOf(d))).replace(/[٠-٩]/g, (d) => String(ARABIC_DIGITS.indexOf(d)));
  const m = /-?\d[\d,٬\u066c\u202f\s]*(?:[.٫]\d+)?/.exec(latin);
  if (!m) return Number.NaN;
  return Number(m[0].replace(/[,٬\u066c\u202f\s]/g, '').replace('٫', '.'));
}

/** The page's language and direction as the document declares them. */
export async function documentLang(page: Page): Promise<{ lang: string | null; dir: string | null }> {
  const html = page.locator('html');
  return { lang: await html.getAttribute('lang'), dir: await html.getAttribute('dir') };
}

/** Logs in through the login form as a person would and waits for the dashboard. */
export async function logIn(page: Page, portal: string, account: DemoAccount): Promise<void> {
  await page.goto(`${portal}/login`);
  const form = page.locator('form[action="/login"]');
  await form.getByLabel(/نام کاربری|User name/i).fill(account.username);
  await form.getByLabel(/گذرواژه|Password/i).fill(account.password);
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
    form.getByRole('button').click(),
  ]);
  // A refusal says so at once, with its status, rather than as a wait for a page that never comes.
  if (answer.status() !== 303) {
    throw new Error(`the login of ${account.username} was answered ${answer.status()}: ${(await page.locator('main').innerText().catch(() => '')).slice(0, 300)}`);
  }
  await page.waitForURL((u) => u.pathname.startsWith('/dashboard'));
}

/** Clicks the header's language switch and waits for the document in the other language. */
export async function switchLanguage(page: Page, to: 'fa' | 'en'): Promise<void> {
  const name = to === 'en' ? 'English' : 'فارسی';
  await Promise.all([
    page.waitForFunction((lang) => document.documentElement.lang === lang, to),
    page.getByRole('link', { name, exact: true }).first().click(),
  ]);
}

/** Waits until every chart container on the page has been drawn by ECharts (or there is none). */
export async function chartsDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.querySelectorAll('[data-chart], [data-live-chart]')]
    .every((el) => el.querySelector('canvas, svg') !== null));
}

/** The element that has the keyboard focus, described for an assertion. */
export interface Focus { tag: string; id: string; name: string | null; text: string; nav: string | null; href: string | null }

export async function focused(page: Page): Promise<Focus> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      id: el?.id ?? '',
      name: el?.getAttribute('name') ?? null,
      text: (el?.textContent ?? '').trim().slice(0, 80),
      /** The accessible name of the navigation landmark the focus is in, if any. */
      nav: el?.closest('nav')?.getAttribute('aria-label') ?? null,
      href: el?.getAttribute('href') ?? null,
    };
  });
}

/** Presses Tab until `ok` holds for the focused element, at most `max` times; the last focus. */
export async function tabUntil(page: Page, ok: (f: Focus) => boolean, max = 30): Promise<Focus | undefined> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (ok(f)) return f;
  }
  return undefined;
}
