import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Page } from 'playwright-core';
import { buildWebAssets } from '../testing/webAssets';
import { type OfflineBrowser, describeInBrowser, launchOfflineBrowser } from '../testing/browser';
import { type TestApp, startTestApp } from '../testing/testApp';

const SESSION_COOKIE = 'platform_session=signed-in';

/**
 * A stand-in for the platform's sign-in: GET /token answers the signed-in administrator's access
 * token (OAuth token response fields) to a caller bearing the platform's session cookie, 401 to
 * anyone else; cross-origin with credentials, as the console calls it.
 */
async function startPlatform(token: () => string): Promise<{ origin: string; calls: string[]; server: Server }> {
  const calls: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    calls.push(`${req.method} ${req.url} cookie=${req.headers.cookie ?? ''}`);
    const cors = {
      'Access-Control-Allow-Origin': req.headers.origin ?? '',
      'Access-Control-Allow-Credentials': 'true',
      Vary: 'Origin',
      'Cache-Control': 'no-store',
    };
    if (req.url !== '/token') {
      res.writeHead(404, cors).end();
      return;
    }
    const signedIn = (req.headers.cookie ?? '').split(/;\s*/).includes(SESSION_COOKIE);
    res.writeHead(signedIn ? 200 : 401, { ...cors, 'Content-Type': 'application/json' });
    res.end(JSON.stringify(signedIn ? { access_token: token(), token_type: 'Bearer', expires_in: 300 } : { error: 'login_required' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, server };
}

describeInBrowser('The admin console signed in through the platform', () => {
  let test: TestApp;
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: OfflineBrowser;
  let page: Page;
  let token = '';

  beforeAll(async () => {
    await buildWebAssets();
    platform = await startPlatform(() => token);
    test = await startTestApp({
      eventStore: 'sqlite',
      env: { CONSOLE_TOKEN_URL: `${platform.origin}/token`, CONSOLE_SIGN_IN_URL: `${platform.origin}/sign-in` },
    });
    token = (await test.caller('tenant-platform', { name: 'Pat Platform', subject: 'pat' })).token;
    browser = await launchOfflineBrowser(() => [test.url, platform.origin]);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await test?.dispose();
    await new Promise((resolve) => platform?.server.close(resolve));
  });

  it('sends a visitor without a platform session to the platform’s sign-in, and asks for no token', async () => {
    await page.goto(`${test.url}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('You are not signed in to the platform.').waitFor();
    const link = page.getByRole('link', { name: 'Sign in to the platform' });
    expect(await link.getAttribute('href')).toBe(`${platform.origin}/sign-in`);
    expect(await page.getByLabel('Access token').count()).toBe(0);
    expect(platform.calls).toEqual(['GET /token cookie=']);
  });

  it('takes the bearer token from the platform’s session and uses it for the API, never in a URL or storage', async () => {
    const sent: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/graphql') sent.push(request.headers().authorization ?? '');
    });
    await browser.context.addCookies([{ name: 'platform_session', value: 'signed-in', url: platform.origin }]);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await page.getByText('Pat Platform').waitFor();

    expect(platform.calls.at(-1)).toBe(`GET /token cookie=${SESSION_COOKIE}`);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((authorization) => authorization === `Bearer ${token}`)).toBe(true);
    expect(page.url()).not.toContain(token);
    const stored = await page.evaluate(() => JSON.stringify({ ...window.localStorage, ...window.sessionStorage }));
    expect(stored).not.toContain(token);
    expect(browser.blocked).toEqual([]);
  });
});
