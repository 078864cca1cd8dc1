import { type Locator, type Page } from 'playwright-core';
import { type OfflineBrowser, type PageProblems, describeInBrowser, launchOfflineBrowser, watchPage } from '../testing/browser';
import { type TestApp, addClient, startTestApp } from '../testing/testApp';
import { buildWebAssets } from '../testing/webAssets';
import { editorTextWhen } from './monacoEditor';

/** Replaces an editor's text the way a developer would; Monaco's auto-closed brackets and quotes after the cursor go. */
async function replaceText(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  await page.keyboard.press('ControlOrMeta+Shift+End');
  await page.keyboard.press('Delete');
}

describeInBrowser('GraphiQL running a subscription against the service', () => {
  let test: TestApp;
  let browser: OfflineBrowser;
  let page: Page;
  const problems: PageProblems = { console: [], requests: [] };

  beforeAll(async () => {
    await buildWebAssets();
    test = await startTestApp();
    browser = await launchOfflineBrowser(() => [test.url], { viewport: { width: 1440, height: 900 } });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    watchPage(page, problems);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await test?.dispose();
  });

  it('shows an audit entry as it is added, over a WebSocket to /graphql with the token in the connection parameters', async () => {
    const { token } = await test.caller('tenant-a');
    const sockets: { url: string; sent: string[] }[] = [];
    page.on('websocket', (socket) => {
      const record = { url: socket.url(), sent: [] as string[] };
      sockets.push(record);
      socket.on('framesent', (frame) => record.sent.push(String(frame.payload)));
    });

    await page.goto(`${test.url}/graphiql`);
    const queryEditor = page.locator('.graphiql-query-editor .monaco-editor');
    await queryEditor.waitFor({ timeout: 30_000 });
    const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor');
    await headersEditor.waitFor();
    const headers = `{"Authorization": "Bearer ${token}"}`;
    await replaceText(page, headersEditor, headers);
    expect(await editorTextWhen(headersEditor, (text) => text === headers)).toBe(headers);
    const subscription = 'subscription Live { auditEntryAdded { action clientName } }';
    await replaceText(page, queryEditor, subscription);
    expect(await editorTextWhen(queryEditor, (text) => text === subscription)).toBe(subscription);
    // GraphiQL takes the operation name from the editor after a debounce; run before it and it sends the old one ("Me").
    await page.waitForTimeout(1_000);
    await page.locator('.graphiql-execute-button').click();

    // graphql-ws does not acknowledge a subscription: add clients until the page shows one.
    const response = page.locator('.graphiql-response .monaco-editor');
    let shown = '';
    for (let attempt = 0; attempt < 10 && !shown.includes('Seen in GraphiQL'); attempt += 1) {
      await addClient(test, { name: `Seen in GraphiQL ${attempt}` }, token);
      shown = await editorTextWhen(response, (text) => text.includes('Seen in GraphiQL'), 2_000);
    }
    expect(shown).toContain('"action": "client.created"');
    expect(shown).toMatch(/"clientName": "Seen in GraphiQL \d"/);

    const live = sockets.filter((socket) => socket.url === `${test.url.replace(/^http/, 'ws')}/graphql`);
    expect(live).toHaveLength(1);
    const init = JSON.parse(live[0].sent[0]);
    expect(init).toEqual({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    // A Content-Security-Policy that refused the socket would have been reported on the console.
    expect(problems.console).toEqual([]);
    expect(problems.requests).toEqual([]);
    expect(browser.blocked).toEqual([]);
  }, 120_000);
});
