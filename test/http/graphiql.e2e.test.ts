import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { defaultWebAssetsDir } from '../../src/http/webApp';
import { type OfflineBrowser, type PageProblems, describeInBrowser, launchOfflineBrowser, watchPage } from '../testing/browser';
import { PROJECT_ROOT, buildWebAssets } from '../testing/webAssets';
import { startTestServer, type TestServer } from './graphiqlTestServer';
import { editorTextWhen } from './monacoEditor';

/** The fake API's `me` reads `Bearer <tenant>:<user>`; these values can only come from the header. */
const TOKEN = 'tenant-e2e-7f3a:user-e2e-51c9';

describeInBrowser('GraphiQL in a browser, offline', () => {
  let server: TestServer;
  let browser: OfflineBrowser;
  let page: Page;
  const problems: PageProblems = { console: [], requests: [] };

  beforeAll(async () => {
    await buildWebAssets();
    server = await startTestServer(defaultWebAssetsDir());
    browser = await launchOfflineBrowser(() => [server.origin], { viewport: { width: 1440, height: 900 } });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    // Warnings count too: GraphiQL reports a failed prettify or a bad worker setup only as warnings.
    watchPage(page, problems);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs a query with a bearer token from the headers editor, loading nothing from elsewhere', async () => {
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    const apiCalls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/graphql') apiCalls.push(request.headers().authorization ?? '');
    });

    await page.goto(`${server.origin}/graphiql`);
    await expect(page.title()).resolves.toBe('Authorization code clients — GraphiQL');
    const queryEditor = page.locator('.graphiql-query-editor .monaco-editor');
    await queryEditor.waitFor({ timeout: 30_000 });
    expect(await editorTextWhen(queryEditor, (text) => text.includes('query Me'))).toContain(
      'npm run token -- --tenant demo --role "Tenant Administrator"',
    );

    const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor');
    await headersEditor.waitFor();
    expect(await editorTextWhen(headersEditor, (text) => text.includes('Authorization'))).toContain(
      '"Authorization": "Bearer <paste a token from: npm run token',
    );
    // With the placeholder still there, the page explains what to do instead of calling the API.
    const response = page.locator('.graphiql-response .monaco-editor');
    expect(await editorTextWhen(response, (text) => text.includes('No token yet'))).toContain(
      'No token yet. In the project folder run: npm run token',
    );
    expect(apiCalls).toEqual([]);

    // Replace the placeholder the way a developer would; Monaco's auto-closed quotes and brace go.
    const reintrospected = page.waitForRequest(
      (request) =>
        request.method() === 'POST' &&
        request.headers().authorization === `Bearer ${TOKEN}` &&
        (request.postData() ?? '').includes('__schema'),
    );
    await headersEditor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(`{"Authorization": "Bearer ${TOKEN}"}`);
    await page.keyboard.press('ControlOrMeta+Shift+End');
    await page.keyboard.press('Delete');
    const pasted = `{"Authorization": "Bearer ${TOKEN}"}`;
    expect(await editorTextWhen(headersEditor, (text) => text === pasted)).toBe(pasted);
    await reintrospected;
    // Prettify loads prettier, a lazy chunk: one more proof that split bundles load from here.
    await page.locator('button[aria-label^="Prettify"]').click();
    const prettified = `{ "Authorization": "Bearer ${TOKEN}" }`;
    expect(await editorTextWhen(headersEditor, (text) => text === prettified)).toBe(prettified);

    await page.locator('.graphiql-execute-button').click();
    const result = await editorTextWhen(response, (text) => text.includes('"data"'));
    expect(result).toContain('"id": "user-e2e-51c9"');
    expect(result).toContain('"tenantId": "tenant-e2e-7f3a"');

    if (process.env.SCREENSHOTS === '1') {
      await page.mouse.move(1400, 880);
      await page.waitForTimeout(1_000); // let Monaco's scrollbars fade for the picture
      mkdirSync(join(PROJECT_ROOT, 'docs'), { recursive: true });
      await page.screenshot({ path: join(PROJECT_ROOT, 'docs', 'graphiql.png') });
    }

    expect(workers.map((url) => new URL(url).pathname.replace(/-\w{8}\.js$/, '')).sort()).toEqual(
      expect.arrayContaining(['/graphiql/editor.worker', '/graphiql/graphql.worker', '/graphiql/json.worker']),
    );
    expect(apiCalls.length).toBeGreaterThanOrEqual(2);
    expect(apiCalls.every((authorization) => authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(browser.blocked).toEqual([]);
    expect(problems.requests).toEqual([]);
    expect(problems.console).toEqual([]);
  }, 120_000);

  it('keeps the token out of the browser storage', async () => {
    const stored = await page.evaluate(() => JSON.stringify({ ...window.localStorage }));
    expect(stored).toContain('query Me');
    expect(stored).not.toContain(TOKEN);
    expect(page.url()).not.toContain(TOKEN);
  });
});
