import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';

/** The Chromium the browser tests drive headless: Debian's, or CHROMIUM_PATH; no browser is downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** True when the browser tests run: Chromium is there, or REQUIRE_BROWSER=1 makes its absence a failure. */
export const browserTestsRun = existsSync(CHROMIUM) || process.env.REQUIRE_BROWSER === '1';

/** `describe` for browser tests; skipped without Chromium (the one loud line is test/testing/browserNotice.mjs). */
export const describeInBrowser = browserTestsRun ? describe : describe.skip;

/** What went wrong in a page: console errors and warnings, uncaught errors, failed requests and error answers. */
export interface PageProblems {
  console: string[];
  requests: string[];
}

/** Records a page's problems into `problems`. */
export function watchPage(page: Page, problems: PageProblems): void {
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.console.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.console.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => problems.requests.push(`${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.requests.push(`${response.url()} ${response.status()}`);
  });
}

/** A headless Chromium profile that may reach only the given origins, and what it tried to reach beyond them. */
export interface OfflineBrowser {
  context: BrowserContext;
  /** URLs the pages asked for outside the allowed origins (each refused as if offline). */
  blocked: string[];
  close(): Promise<void>;
}

/** Launches Chromium in a fresh profile, offline except for `allowedOrigins` (checked per request). */
export async function launchOfflineBrowser(
  allowedOrigins: () => readonly string[],
  options: { viewport?: { width: number; height: number } } = {},
): Promise<OfflineBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'browser-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (allowedOrigins().includes(new URL(url).origin)) return route.continue();
    blocked.push(url);
    return route.abort('internetdisconnected');
  });
  return {
    context,
    blocked,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
