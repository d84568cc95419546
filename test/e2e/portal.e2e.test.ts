// The portal in a real browser (Debian's Chromium through playwright-core) against a running demo
// node: what a citizen, an operator, an overseer and an inspector see and may do. Every step waits
// for a condition on the page or the node, never for a fixed time, and every wait is bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  ACTION_MS, describeViolations, keepFailedPage, launchBrowser, newContext, screenshot, seriousAxeViolations, watchProblems, type ViewportName,
} from './browser.ts';
import { startDemo, type DemoAccount, type DemoNode } from './demo-node.ts';
import { chartsDrawn, documentLang, focused, logIn, readNumber, switchLanguage, tabUntil } from './portal-actions.ts';

const JUDICIARY = 'IR/GOV/JUDICIARY/case-management';
const POLICE = 'IR/GOV/POLICE/licensing';
const ADDRESS_SERVICE = 'IR/GOV/POST/address/address';
const ADDRESS = '/r1/IR/GOV/POST/address/address/addresses/1193653471';
const DEMO_CITIZEN = '0012345679';
const PERSON = `/r1/IR/GOV/NOCR/identity/person/persons/${DEMO_CITIZEN}?birthDate=1370/06/15`;
const ROLES = ['operator', 'overseer', 'inspector'] as const;

/** expect.poll with the machinery's bound (its own default, 1 s, is too short for a slow machine). */
const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: ACTION_MS, interval: 100 });

/** A test that drives the browser through several pages. */
const STEP_MS = 120_000;

let demo: DemoNode;
let browser: Browser;

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemo(), launchBrowser()]);
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
}, 60_000);

function account(role: (typeof ROLES)[number]): DemoAccount {
  const a = demo.accounts.find((x) => x.role === role);
  if (!a) throw new Error(`the demo's guide names no ${role} account:\n${demo.output()}`);
  return a;
}

/**
 * Runs `fn` on a page of a fresh context (its own cookies). On failure the page as it was is kept
 * (.tmp/screenshots/failed-<name>.png and .txt, with the console's errors) and named in the error.
 */
async function withPage(name: string, fn: (page: Page, problems: string[]) => Promise<void>, o: { viewport?: ViewportName } = {}): Promise<void> {
  const context = await newContext(browser, o);
  const page = await context.newPage();
  const problems = watchProblems(page);
  try {
    await fn(page, problems);
  } catch (e) {
    const kept = await keepFailedPage(page, name, problems).catch(() => 'nothing (the page could not be read)');
    if (e instanceof Error) e.message += `\n(the page at the failure: ${kept})`;
    throw e;
  } finally {
    await context.close();
  }
}

/** The overview's inquiries figure and today's live count, as numbers. */
async function overviewFigures(page: Page): Promise<{ total: number; live: number }> {
  const total = readNumber(await page.locator('[data-figure="inquiries"]').innerText());
  const live = readNumber(await page.locator('#live-count').innerText());
  return { total, live };
}

describe('accounts', () => {
  it('each role logs in with the demo account, sees its role and the navigation, and logs out', async () => {
    for (const role of ROLES) {
      await withPage(`login-${role}`, async (page, problems) => {
        const a = account(role);
        await logIn(page, demo.portal, a);
        expect(await documentLang(page)).toEqual({ lang: 'fa', dir: 'rtl' });
        expect(await page.locator('.user-box').innerText()).toContain(a.username);
        expect(await page.getByRole('navigation', { name: 'بخش‌های درگاه' }).getByRole('link').count()).toBeGreaterThan(3);

        await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.getByRole('button', { name: 'خروج' }).click()]);
        await page.getByRole('status').waitFor();
        // The session is gone: the dashboard sends the browser back to the login page.
        await page.goto(`${demo.portal}/dashboard`);
        expect(new URL(page.url()).pathname).toBe('/login');
        expect(problems).toEqual([]);
      });
    }
  }, STEP_MS);

  it('a wrong password is refused with a notice, on the login page', async () => {
    await withPage('login-refused', async (page) => {
      await page.goto(`${demo.portal}/login`);
      const form = page.locator('form[action="/login"]');
      await form.getByLabel('نام کاربری').fill(account('inspector').username);
      await form.getByLabel('گذرواژه').fill('not-the-password');
      await form.getByRole('button', { name: 'ورود' }).click();
      await page.getByRole('alert').filter({ hasText: 'نام کاربری یا گذرواژه درست نیست' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/login');
      await page.goto(`${demo.portal}/dashboard`);
      expect(new URL(page.url()).pathname).toBe('/login');
    });
  }, STEP_MS);
});

describe('the overview', () => {
  it('shows the inquiries of the year as the admin API counts them, and today\'s live count follows new inquiries without a reload', async () => {
    for (let i = 0; i < 2; i++) expect((await demo.inquire(JUDICIARY, PERSON)).status).toBe(200);
    await withPage('overview', async (page, problems) => {
      await logIn(page, demo.portal, account('overseer'));
      const apiTotal = async () => (await demo.adminGet<{ total: { count: number } }>('/v1/stats')).body.total.count;
      // The page and the API read the same rollups; with no traffic in between they agree.
      await eventually(async () => {
        const before = await apiTotal();
        await page.reload();
        const shown = (await overviewFigures(page)).total;
        return shown === before && before === await apiTotal() && shown >= 2;
      }).toBe(true);

      const live = async () => (await overviewFigures(page)).live;
      await eventually(live).toBeGreaterThanOrEqual(2);
      const start = await live();
      const url = page.url();
      for (let i = 0; i < 3; i++) expect((await demo.inquire(JUDICIARY, PERSON)).status).toBe(200);
      await eventually(live).toBeGreaterThanOrEqual(start + 3);
      expect(page.url()).toBe(url);
      expect(problems).toEqual([]);
    });
  }, STEP_MS);
});

describe('the registry', () => {
  it('an operator grants an access right and a refused inquiry is answered; revoking it refuses the inquiry again', async () => {
    const basis = 'آیین‌نامهٔ آزمون مرورگر، مادهٔ ۷';
    const inquiry = async () => (await demo.inquire(POLICE, ADDRESS)).status;
    expect(await inquiry()).not.toBe(200);

    await withPage('registry-grant', async (page, problems) => {
      await logIn(page, demo.portal, account('operator'));
      await page.goto(`${demo.portal}/dashboard/registry/access`);
      const form = page.locator('form[action="/dashboard/registry/access/grant"]');
      await form.getByRole('combobox', { name: 'استعلام‌کننده', exact: true }).selectOption(POLICE);
      await form.getByRole('combobox', { name: 'خدمت', exact: true }).selectOption(ADDRESS_SERVICE);
      await form.getByRole('textbox', { name: 'مبنای قانونی', exact: true }).fill(basis);
      await form.getByRole('button', { name: 'اعطای مجوز' }).click();
      await page.getByText('مجوز دسترسی اعطا شد').first().waitFor();
      expect(await page.getByText('مجوز دسترسی اعطا شد').count(), 'the confirmation is said once').toBe(1);
      const row = page.getByRole('row').filter({ hasText: basis });
      await expect.poll(() => row.count()).toBe(1);
      expect(await row.innerText()).toContain(POLICE);

      await eventually(inquiry).toBe(200);

      // Revoking asks first; the person confirms.
      const asked = new Promise<string>((resolve) => page.once('dialog', (d) => { resolve(d.message()); void d.accept(); }));
      await row.getByRole('button').click();
      expect(await asked).not.toBe('');
      await page.getByText('مجوز دسترسی لغو شد').first().waitFor();
      expect(await page.getByText('مجوز دسترسی لغو شد').count()).toBe(1);
      expect(await page.getByRole('row').filter({ hasText: basis }).count()).toBe(0);
      await eventually(inquiry).not.toBe(200);
      expect(problems).toEqual([]);
    });
  }, STEP_MS);

  it('an overseer sees no form that changes the registry, and a forged change is refused', async () => {
    const rights = async () => (await demo.adminGet<unknown[]>('/v1/access-rights')).body.length;
    const before = await rights();
    await withPage('registry-overseer', async (page) => {
      await logIn(page, demo.portal, account('overseer'));
      await page.goto(`${demo.portal}/dashboard/registry/access`);
      await page.getByRole('table').first().waitFor();
      expect(await page.locator('form[action^="/dashboard/registry/"]').count()).toBe(0);
      expect(await page.getByRole('button', { name: /لغو/ }).count()).toBe(0);

      // The overseer's own session and CSRF token: the refusal must come from the role, not the token.
      const csrf = await page.locator('form[action="/logout"] input[name="_csrf"]').inputValue();
      expect(csrf.length).toBeGreaterThan(10);
      const forged = await page.request.post(`${demo.portal}/dashboard/registry/access/grant`, {
        form: { _csrf: csrf, subject: POLICE, serviceId: ADDRESS_SERVICE, legalBasis: 'forged' },
        headers: { origin: demo.portal },
        maxRedirects: 0,
      });
      expect(forged.status()).toBe(403);
    });
    expect(await rights()).toBe(before);
    expect((await demo.inquire(POLICE, ADDRESS)).status).not.toBe(200);
  }, STEP_MS);
});

describe('languages', () => {
  it('the switch turns the dashboard to English (left to right) and back to Persian (right to left)', async () => {
    await withPage('language', async (page, problems) => {
      await logIn(page, demo.portal, account('inspector'));
      expect(await documentLang(page)).toEqual({ lang: 'fa', dir: 'rtl' });
      await switchLanguage(page, 'en');
      expect(await documentLang(page)).toEqual({ lang: 'en', dir: 'ltr' });
      await page.getByRole('navigation', { name: 'Portal sections' }).waitFor();
      // English text keeps Latin digits: the font's Persian-digit feature is for Persian pages only.
      expect(await page.evaluate(() => getComputedStyle(document.body).fontFeatureSettings)).toBe('normal');
      // The choice stays with the session on the next page.
      await page.getByRole('link', { name: 'Access rights' }).click();
      await page.waitForURL((u) => u.pathname === '/dashboard/registry/access');
      expect(await documentLang(page)).toEqual({ lang: 'en', dir: 'ltr' });
      await switchLanguage(page, 'fa');
      expect(await documentLang(page)).toEqual({ lang: 'fa', dir: 'rtl' });
      await page.getByRole('heading', { level: 1, name: 'مجوزهای دسترسی' }).waitFor();
      expect(await page.evaluate(() => getComputedStyle(document.body).fontFeatureSettings)).toBe('"ss01"');
      expect(problems).toEqual([]);
    });
  }, STEP_MS);
});

describe('the citizen page (the SIMULATED national login)', () => {
  it('lists an inquiry just made about the demo citizen, in Persian and in English', async () => {
    const made = await demo.inquire(JUDICIARY, PERSON, { headers: { 'x-road-userid': 'judge-1', 'x-road-issue': 'e2e-citizen-check' } });
    expect(made.status, made.text).toBe(200);
    await withPage('citizen', async (page, problems) => {
      await page.goto(`${demo.portal}/citizen`);
      expect(await documentLang(page)).toEqual({ lang: 'fa', dir: 'rtl' });
      await page.getByLabel('کد ملی').fill(DEMO_CITIZEN);
      await page.getByRole('button', { name: 'نمایش فهرست' }).click();
      const table = page.getByRole('table');
      await eventually(() => table.innerText().catch(() => '')).toContain('e2e-citizen-check');

      // The switch re-posts the question: the same list in English, left to right.
      await page.getByRole('navigation', { name: 'زبان' }).getByRole('button').click();
      await eventually(async () => (await documentLang(page)).lang).toBe('en');
      expect((await documentLang(page)).dir).toBe('ltr');
      await eventually(() => page.getByRole('table').innerText().catch(() => '')).toContain('e2e-citizen-check');
      expect(problems).toEqual([]);
    });
  }, STEP_MS);
});

describe('keyboard', () => {
  it('reaches the login form and, once logged in, the skip link and the main navigation', async () => {
    await withPage('keyboard', async (page) => {
      const a = account('inspector');
      await page.goto(`${demo.portal}/login`);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      expect(await tabUntil(page, (f) => f.name === 'username', 10)).toBeDefined();
      await page.keyboard.type(a.username);
      await page.keyboard.press('Tab');
      expect((await focused(page)).name).toBe('password');
      await page.keyboard.type(a.password);
      await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/dashboard')), page.keyboard.press('Enter')]);

      // The first Tab lands on the skip link, shown when focused; it moves the focus to the content.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'پرش به محتوا' });
      expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
      const box = await skip.boundingBox();
      expect(box !== null && box.width > 0 && box.y >= 0 && box.y < 768).toBe(true);
      await page.keyboard.press('Enter');
      await eventually(async () => (await focused(page)).id).toBe('main');

      // From the top of the page, Tab reaches the main navigation, and Enter follows its link.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const inNav = await tabUntil(page, (f) => f.nav === 'بخش‌های درگاه' && f.href !== null && f.href !== '/dashboard', 40); // past the page's focusable tables
      expect(inNav).toBeDefined();
      await Promise.all([page.waitForURL((u) => u.pathname === inNav!.href), page.keyboard.press('Enter')]);
    });
  }, STEP_MS);
});

/** The main pages: their path and whether the README shows them. */
const MAIN_PAGES: { name: string; path: string; login: boolean; docs?: `${'fa' | 'en'}-${ViewportName}`[] }[] = [
  { name: 'login', path: '/login', login: false },
  { name: 'overview', path: '/dashboard', login: true, docs: ['fa-desktop', 'en-desktop', 'fa-phone'] },
  { name: 'registry-access', path: '/dashboard/registry/access', login: true, docs: ['fa-desktop'] },
  { name: 'registry-services', path: '/dashboard/registry/services', login: true },
  // With a subsystem chosen: the command that issues or renews its certificate on the node.
  { name: 'registry-certificates', path: '/dashboard/registry/certificates?subsystem=IR%2FGOV%2FPOLICE%2Flicensing', login: true },
  { name: 'oversight-sla', path: '/dashboard/oversight/sla', login: true },
  { name: 'oversight-violations', path: '/dashboard/oversight/violations', login: true },
  { name: 'citizen', path: '/citizen', login: false, docs: ['fa-phone'] },
  { name: 'citizen-services', path: '/citizen/services', login: false },
];

describe('accessibility and screenshots of the main pages', () => {
  // Some traffic of several consumers, answered and refused, so the charts and tables have data.
  beforeAll(async () => {
    const traffic: [string, string, { method?: 'POST'; body?: string }?][] = [
      [JUDICIARY, PERSON], [JUDICIARY, `/r1/IR/GOV/NOCR/identity/marital/persons/${DEMO_CITIZEN}/marital-status`],
      [POLICE, '/r1/IR/GOV/POLICE/traffic/vehicle/vehicles/inquiry', { method: 'POST', body: JSON.stringify({ plate: '12ب34577' }) }],
      ['IR/COM/SAMAN/kyc', '/r1/IR/GOV/SCI/divisions/provinces/provinces/23'], [POLICE, ADDRESS],
    ];
    for (let i = 0; i < 4; i++) for (const [client, p, o] of traffic) await demo.inquire(client, p, o);
  }, 60_000);

  for (const viewport of ['desktop', 'phone'] as const) {
    it(`axe-core finds no serious or critical violation; screenshots in Persian and English (${viewport})`, async () => {
      await withPage(`pages-${viewport}`, async (page, problems) => {
        for (const lang of ['fa', 'en'] as const) {
          for (const p of MAIN_PAGES.filter((x) => !x.login)) {
            await page.goto(`${demo.portal}${p.path}`);
            if ((await documentLang(page)).lang !== lang) await switchLanguage(page, lang);
            await check(page, p, lang, viewport);
          }
        }
        await logIn(page, demo.portal, account('operator'));
        for (const lang of ['fa', 'en'] as const) {
          if ((await documentLang(page)).lang !== lang) await switchLanguage(page, lang);
          for (const p of MAIN_PAGES.filter((x) => x.login)) {
            await page.goto(`${demo.portal}${p.path}`);
            await check(page, p, lang, viewport);
          }
        }
        expect(problems).toEqual([]);
      }, { viewport });
    }, 240_000);
  }
});

/** The page in its language and direction, with no serious or critical axe violation, then its screenshot. */
async function check(page: Page, p: (typeof MAIN_PAGES)[number], lang: 'fa' | 'en', viewport: ViewportName): Promise<void> {
  expect(await documentLang(page), p.path).toEqual({ lang, dir: lang === 'fa' ? 'rtl' : 'ltr' });
  await chartsDrawn(page);
  const violations = await seriousAxeViolations(page);
  expect(describeViolations(violations), `${p.path} (${lang}, ${viewport})`).toBe('');
  await screenshot(page, `${p.name}-${lang}-${viewport}`, { docs: p.docs?.includes(`${lang}-${viewport}`) === true });
}
