// The nodes page in a real browser (Debian's Chromium through playwright-core), on a seeded central
// node with two provincial nodes registered and one province's rollups pulled: the bar chart is drawn
// by /assets/dashboard.js under the portal's CSP, its table gives the same figures, and axe finds no
// serious or critical violation, in Persian and in English, on a desktop and on a phone.
import type { Browser } from 'playwright-core';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatJalali, instantToJalali } from '../../src/dates/jalali.ts';
import { RemoteRollups } from '../../src/oversight/remote-rollups.ts';
import { ROLLUPS_FORMAT } from '../../src/oversight/rollup-changes.ts';
import { COUNTER_COLUMNS, PULLED_GRAINS } from '../../src/oversight/rollup-tables.ts';
import { Users } from '../../src/portal/accounts/users.ts';
import { recordsFile } from '../../src/records/record-store.ts';
import { registryNodesOf } from '../../src/registry/nodes.ts';
import { JUDICIARY, SERVICE, useSeededNode } from '../harness.ts';
import { describeViolations, keepFailedPage, launchBrowser, newContext, screenshot, seriousAxeViolations, watchProblems, type ViewportName } from './browser.ts';
import { chartsDrawn, documentLang, logIn, switchLanguage } from './portal-actions.ts';

const ctx = useSeededNode({ node: { portalPort: 0 } });
const OPERATOR = { username: 'operator1', password: 'a long enough password 1', role: 'operator' };
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  const { registry } = ctx.t.node;
  await new Users(registry.db).add(OPERATOR.username, 'operator', OPERATOR.password);
  expect((await ctx.t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'X-Road-Client': JUDICIARY } })).status).toBe(200);
  await registryNodesOf(registry).add({ id: 'p07', role: 'provincial', province: '07', url: 'https://127.0.0.1:5507' });
  await registryNodesOf(registry).add({ id: 'p23', role: 'provincial', province: '23', url: 'https://127.0.0.1:5523' });
  await registry.setSubsystemNodes('IR/GOV/POLICE/licensing', ['p07', 'p23']);
  // Tehran's rollups of today, as the centre's puller keeps them.
  const db = new Database(recordsFile(ctx.t.dataDir));
  try {
    const today = formatJalali(instantToJalali(new Date()));
    const store = new RemoteRollups(db);
    for (const grain of PULLED_GRAINS) {
      store.store('p23', {
        format: ROLLUPS_FORMAT, node: 'p23', grain, counters: [...COUNTER_COLUMNS], next: '1', more: false,
        rows: [{ period: grain === 'day' ? today : today.slice(0, 7), key: [JUDICIARY, SERVICE, '/persons/{nationalCode}', 200, ''], counters: COUNTER_COLUMNS.map((c) => (c === 'n' ? 4 : 0)) }],
      }, new Date());
    }
  } finally {
    db.close();
  }
}, 60_000);

afterAll(async () => { await browser?.close(); });

describe('the nodes page in a browser', () => {
  for (const viewport of ['desktop', 'phone'] as ViewportName[]) {
    it(`draws its chart and passes axe in Persian and English (${viewport})`, async () => {
      const context = await newContext(browser, { viewport });
      const page = await context.newPage();
      const problems = watchProblems(page);
      try {
        const portal = `http://127.0.0.1:${ctx.t.node.ports.portal}`;
        await logIn(page, portal, OPERATOR);
        await page.goto(`${portal}/dashboard/nodes`);
        for (const lang of ['fa', 'en'] as const) {
          if ((await documentLang(page)).lang !== lang) await switchLanguage(page, lang);
          expect(await documentLang(page)).toEqual({ lang, dir: lang === 'fa' ? 'rtl' : 'ltr' });
          await chartsDrawn(page);
          expect(await page.locator('[data-chart="chart-nodes"] svg').count()).toBe(1);
          // In the table inside the closed <details> beside the chart: its text, not what is painted.
          expect(await page.locator('[data-node-count="p23"]').textContent()).toBe(lang === 'fa' ? '۴' : '4');
          expect(describeViolations(await seriousAxeViolations(page)), `${lang} ${viewport}`).toBe('');
          await screenshot(page, `nodes-${lang}-${viewport}`);
        }
        expect(problems).toEqual([]);
      } catch (e) {
        const kept = await keepFailedPage(page, `nodes-${viewport}`, problems).catch(() => 'nothing');
        if (e instanceof Error) e.message += `\n(the page at the failure: ${kept})`;
        throw e;
      } finally {
        await context.close();
      }
    }, 120_000);
  }
});
