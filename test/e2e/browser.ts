// A real browser for the end-to-end tests: Debian's Chromium driven by playwright-core. Nothing here
// downloads a browser: the tests use the Chromium the system has (.ci/run installs Debian's package)
// or the one CHROMIUM_PATH names, and say how to install it when there is none.
import { constants } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../cli-entry.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for a headless Chromium in a container and in CI: no sandbox (a container's root has no user
 * namespace for it), no GPU, and nothing that reaches out on its own (QUIC probes, component and
 * field-trial updates, sync): the only traffic is the test's own, to the node on 127.0.0.1.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Bounds for every wait: generous for a slow 2-core machine, finite so a broken page fails. */
export const ACTION_MS = 20_000;
export const NAVIGATION_MS = 30_000;

export const VIEWPORTS = {
  desktop: { width: 1366, height: 768 },
  phone: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export async function chromiumProblem(): Promise<string | undefined> {
  try {
    await access(CHROMIUM, constants.X_OK);
    return undefined;
  } catch {
    return `no Chromium at ${CHROMIUM}. The browser tests drive Debian's Chromium and never download one: `
      + 'install it with `sudo apt-get install -y chromium` (.ci/run does this when it is missing), '
      + 'or set CHROMIUM_PATH to a Chromium or Chrome executable.';
  }
}

/**
 * Launches headless Chromium. Playwright gives each launch a fresh temporary profile
 * (--user-data-dir) of its own and deletes it on close; it refuses a --user-data-dir in `args`.
 */
export async function launchBrowser(): Promise<Browser> {
  const problem = await chromiumProblem();
  // A plain Error: this is the test machinery talking to whoever runs the tests, not the product.
  if (problem) throw new Error(problem);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: NAVIGATION_MS });
}

/** A context (its own cookies: one per signed-in person) with bounded waits. */
export async function newContext(browser: Browser, o: { viewport?: ViewportName; locale?: string } = {}): Promise<BrowserContext> {
  const v = VIEWPORTS[o.viewport ?? 'desktop'];
  const context = await browser.newContext({
    viewport: v,
    deviceScaleFactor: 1,
    isMobile: o.viewport === 'phone',
    hasTouch: o.viewport === 'phone',
    locale: o.locale ?? 'fa-IR',
    timezoneId: 'Asia/Tehran',
    // The portal's CSP stays in force: a page that only works without it must fail here.
    bypassCSP: false,
  });
  context.setDefaultTimeout(ACTION_MS);
  context.setDefaultNavigationTimeout(NAVIGATION_MS);
  return context;
}

/**
 * What the page refused or failed on: CSP violations and script errors reported to the console,
 * and uncaught exceptions. A page that works only in a laxer browser shows up here.
 */
export function watchProblems(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    // The browser asks for /favicon.ico on its own; its absence is not the page's fault.
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) seen.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => { seen.push(`exception: ${e.message}`); });
  return seen;
}

let axeSource: Promise<string> | undefined;

function readAxe(): Promise<string> {
  const require = createRequire(import.meta.url);
  axeSource ??= readFile(path.join(path.dirname(require.resolve('axe-core/package.json')), 'axe.min.js'), 'utf8');
  return axeSource;
}

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: unknown[]; html: string }[] }

/**
 * Runs axe-core on the page as it is now and returns its serious and critical violations.
 *
 * axe is evaluated through the DevTools protocol (page.evaluate), not added as a <script>: the
 * portal's CSP (default-src 'self', nothing inline) rightly blocks an inline script, and turning the
 * CSP off for the context (bypassCSP) would also hide the pages' own CSP faults from these tests.
 * Evaluation from the protocol is not subject to the page's CSP, and leaves the page's policy alone.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const source = await readAxe();
  await page.evaluate(source);
  const result = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: AxeViolation[] }> } };
    const r = await w.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Readable lines for an assertion message. */
export function describeViolations(v: AxeViolation[]): string {
  return v.map((x) => `${x.impact} ${x.id}: ${x.help}\n${x.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.html}`).join('\n')}`).join('\n');
}

/**
 * Where screenshots go: .tmp/screenshots/ always; the README's few (docs/screenshots/) are written
 * only when SCREENSHOTS_FOR_DOCS=1, so a test run does not change files under version control.
 */
export const SCREENSHOT_DIR = path.join(ROOT, '.tmp', 'screenshots');
export const DOCS_SCREENSHOT_DIR = path.join(ROOT, 'docs', 'screenshots');
export const WRITE_DOCS_SCREENSHOTS = process.env.SCREENSHOTS_FOR_DOCS === '1';

/**
 * Saves a screenshot of the page once its fonts are loaded and returns the path. `docs`: also the
 * README's copy, of the viewport only (a full page of a long table is too large for a README).
 */
export async function screenshot(page: Page, name: string, o: { docs?: boolean } = {}): Promise<string> {
  await page.evaluate(async () => { await document.fonts.ready; });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
  if (o.docs && WRITE_DOCS_SCREENSHOTS) {
    await mkdir(DOCS_SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(DOCS_SCREENSHOT_DIR, `${name}.png`), fullPage: false, animations: 'disabled', caret: 'hide' });
  }
  return file;
}

/** Keeps what a failed test saw: a screenshot and the page's address, text and problems. */
export async function keepFailedPage(page: Page, name: string, problems: string[]): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const base = path.join(SCREENSHOT_DIR, `failed-${name}`);
  await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => undefined);
  const text = await page.locator('body').innerText({ timeout: 2000 }).catch(() => '');
  await writeFile(`${base}.txt`, `${page.url()}\n\n${problems.join('\n')}\n\n${text}\n`);
  return `${base}.png, ${base}.txt`;
}
