import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { type AppOverrides } from '../../src/app';
import { type OfflineBrowser, type PageProblems, launchOfflineBrowser, watchPage } from '../testing/browser';
import { type TestApp, startTestApp } from '../testing/testApp';
import { PROJECT_ROOT, buildWebAssets } from '../testing/webAssets';

/** Waits until `check` holds (the page updates after API calls), failing with `what` after 10 s. */
export async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Saves a picture of the page for the README (docs/) when SCREENSHOTS=1 (`npm run screenshots`), so a
 * plain `npm test` leaves the working tree as it was; `fullPage: false` keeps to the viewport.
 */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  const docs = join(PROJECT_ROOT, 'docs');
  mkdirSync(docs, { recursive: true });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(docs, name), fullPage });
}

/** Signs in with a pasted token, as an administrator in development does, and waits for the list. */
export async function signIn(page: Page, origin: string, token: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
}

/** The requests each tracked page has sent and not yet seen answered. */
const inFlight = new WeakMap<Page, number>();
/** When each tracked page last sent a request or saw one end. */
const lastActivity = new WeakMap<Page, number>();

/** Counts the page's requests in flight, for `openRoute` to wait for before it leaves the page. */
function trackRequests(page: Page): void {
  inFlight.set(page, 0);
  const changed = (by: number) => {
    inFlight.set(page, (inFlight.get(page) ?? 0) + by);
    lastActivity.set(page, Date.now());
  };
  page.on('request', () => changed(1));
  page.on('requestfinished', () => changed(-1));
  page.on('requestfailed', () => changed(-1));
}

/**
 * No request in flight, and none for a moment: a page that sends its next request once the last
 * one answered (the History page reads the head, then checks integrity) is not left in between.
 */
const settled = (page: Page) => (inFlight.get(page) ?? 0) === 0 && Date.now() - (lastActivity.get(page) ?? 0) >= 300;

/**
 * Opens the console at `route` (e.g. `#/clients/new`) in a fresh load, so a route the page is
 * already on starts anew; the tab's session keeps the administrator signed in.
 */
export async function openRoute(page: Page, origin: string, route: string): Promise<void> {
  // Leaving while the page still waits for an answer (a history reload after a save) would abort it.
  await until('the page’s requests answered', () => Promise.resolve(settled(page)));
  await page.goto('about:blank');
  await page.goto(`${origin}/${route}`);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
}

/** What a console browser suite works with; filled in by its `beforeAll`. */
export interface ConsoleSuite {
  test: TestApp;
  browser: OfflineBrowser;
  page: Page;
  /** A Tenant Administrator's token (Ada Admin, subject `ada`) of the suite's tenant. */
  admin: string;
  tenantId: string;
  problems: PageProblems;
}

/**
 * Registers `beforeAll`/`afterAll` for a console suite: the built console, a service on the embedded
 * store (with `overrides`), an offline Chromium allowed to read the clipboard, signed in as Ada.
 */
export function useConsoleSuite(options: { tenantId?: string; overrides?: AppOverrides } = {}): ConsoleSuite {
  const suite = { tenantId: options.tenantId ?? 'tenant-console', problems: { console: [], requests: [] } } as unknown as ConsoleSuite;
  beforeAll(async () => {
    await buildWebAssets();
    suite.test = await startTestApp({ eventStore: 'sqlite', overrides: options.overrides });
    suite.admin = (await suite.test.caller(suite.tenantId, { name: 'Ada Admin', subject: 'ada' })).token;
    suite.browser = await launchOfflineBrowser(() => [suite.test.url]);
    await suite.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.test.url });
    suite.page = suite.browser.context.pages()[0] ?? (await suite.browser.context.newPage());
    watchPage(suite.page, suite.problems);
    trackRequests(suite.page);
    await signIn(suite.page, suite.test.url, suite.admin);
  }, 300_000);
  afterAll(async () => {
    await suite.browser?.close();
    await suite.test?.dispose();
  });
  return suite;
}

/** What has keyboard focus: its tag, accessible-name-ish text, and whether it is inside an open dialog. */
export async function focused(page: Page): Promise<{ tag: string; name: string; inDialog: boolean; id: string }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element) return { tag: '', name: '', inDialog: false, id: '' };
    const label = element.id ? document.querySelector(`label[for="${CSS.escape(element.id)}"]`)?.textContent : null;
    return {
      tag: element.tagName.toLowerCase(),
      name: (element.getAttribute('aria-label') ?? label ?? element.textContent ?? '').trim(),
      inDialog: element.closest('dialog[open]') !== null,
      id: element.id,
    };
  });
}

/**
 * The suite's pages reached nothing beyond the service and logged no error; a refused token's 401
 * (the sign-in page's own check), which Chromium logs, is the one answer allowed.
 */
export function expectNoPageProblems(suite: ConsoleSuite): void {
  expect(suite.browser.blocked).toEqual([]);
  expect(suite.problems.requests.filter((line) => !/\/graphql 401$/.test(line))).toEqual([]);
  expect(suite.problems.console.filter((line) => !/status of 401/.test(line))).toEqual([]);
}
