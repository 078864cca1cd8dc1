import { type Locator, type Page } from 'playwright-core';
import { ROLES } from '../../src/auth/roles';
import { axeViolations } from '../testing/axe';
import { describeInBrowser } from '../testing/browser';
import { contrastRatio, focusRing } from '../testing/focusRing';
import { addClient } from '../testing/testApp';
import { expectNoPageProblems, focused, openRoute, screenshot, signIn, useConsoleSuite } from './consoleSuite';

jest.setTimeout(60_000);

const REGISTERED = ['https://app.example.com/callback', 'http://127.0.0.1/cb'];

const MATCH = `query($clientId: ID!, $url: String!) {
  matchRedirectUrl(clientId: $clientId, url: $url) { matched matchedUrl rule nearest { url differences details { kind message } } }
}`;

/** axe-core finds no WCAG 2.1 A or AA violation in the page as it stands. */
async function expectNoViolations(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await axeViolations(page)).toEqual([]);
}

/** The "Test a redirect URL" section of the client page open in `page`. */
const box = (page: Page): Locator => page.getByRole('region', { name: 'Test a redirect URL' });

/** Types `url` into the box and submits it with the Test button (or Enter), and answers its result once shown. */
async function testUrl(page: Page, url: string, { by = 'button' }: { by?: 'button' | 'enter' } = {}): Promise<Locator> {
  const section = box(page);
  await section.getByLabel('Redirect URL to test').fill(url);
  if (by === 'enter') await section.getByLabel('Redirect URL to test').press('Enter');
  else await section.getByRole('button', { name: 'Test' }).click();
  const result = section.getByRole('status');
  await result.locator('p').filter({ hasText: /^(Matches|Does not match)/ }).waitFor();
  return result;
}

describeInBrowser('The client page: Test a redirect URL (matchRedirectUrl)', () => {
  const suite = useConsoleSuite({ tenantId: 'tenant-redirect-test' });
  let clientId: string;

  /** What the API answers for `url`, asked with the administrator's token, as the console asks it. */
  const apiMatch = async (url: string) => {
    const response = await suite.test.gql(MATCH, { clientId, url }, { token: suite.admin });
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data.matchRedirectUrl as { matched: boolean; nearest: { url: string; details: { kind: string; message: string }[] } | null };
  };

  beforeAll(async () => {
    clientId = (await addClient(suite.test, { name: 'Redirect app', allowedRedirectUrls: REGISTERED }, suite.admin)).id;
  });

  beforeEach(async () => {
    await openRoute(suite.page, suite.test.url, `#/clients/${clientId}`);
    await box(suite.page).waitFor();
  });

  it('says an exact match matches, naming the rule', async () => {
    const result = await testUrl(suite.page, 'https://app.example.com/callback');
    expect(await result.innerText()).toBe('Matches https://app.example.com/callback: exact match.');
    expect(await result.getAttribute('aria-live')).toBe('polite');
  });

  it('says another port on a loopback IP address matches the registered URL under RFC 8252 §7.3', async () => {
    const result = await testUrl(suite.page, 'http://127.0.0.1:5555/cb');
    expect(await result.innerText()).toBe('Matches http://127.0.0.1/cb: any port is allowed on a loopback IP address (RFC 8252 §7.3).');
  });

  it('shows, for a URL that matches none, the nearest allowed URL and exactly the differences the API names; Enter submits', async () => {
    const { page } = suite;
    const tested = 'https://App.example.com/callback/?from=console';
    const result = await testUrl(page, tested, { by: 'enter' });
    const answer = await apiMatch(tested);
    expect(answer.matched).toBe(false);
    expect(answer.nearest).not.toBeNull();
    const lines = (await result.innerText()).split('\n').filter(Boolean);
    expect(lines.slice(0, 2)).toEqual(['Does not match any allowed redirect URL.', `Nearest allowed URL: ${answer.nearest!.url}`]);
    expect(await result.getByRole('listitem').allInnerTexts()).toEqual(answer.nearest!.details.map((detail) => detail.message));
    // Enter left focus in the field, for the next URL to try.
    expect(await focused(page)).toMatchObject({ tag: 'input', name: 'Redirect URL to test' });

    await box(page).evaluate((section) => section.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'console-test-redirect.png', { fullPage: false });
    await expectNoViolations(page);

    // Editing the URL takes the result away: it was about the URL tested.
    await box(page).getByLabel('Redirect URL to test').fill('https://app.example.com/other');
    expect(await result.innerText()).toBe('');
  });

  it('lists every difference the answer carries, in its order, and the rule by name when the console does not know it', async () => {
    const { page } = suite;
    // The answer is rewritten as a later domain may give it: several differences, and a new rule.
    const details = [
      { kind: 'hostCase', message: 'The host is “App.example.com”; the allowed URL has “app.example.com” (hosts compare exactly).' },
      { kind: 'trailingSlash', message: 'The path ends in “/”; the allowed URL’s does not.' },
    ];
    await page.route('**/graphql', async (route) => {
      if (!(route.request().postData() ?? '').includes('ConsoleMatchRedirectUrl')) return route.fallback();
      const response = await route.fetch();
      const body = (await response.json()) as { data: { matchRedirectUrl: { rule: string; matched: boolean; nearest: { details: unknown[] } | null } } };
      const match = body.data.matchRedirectUrl;
      if (match.matched) match.rule = 'someFutureRule';
      else match.nearest!.details = details;
      return route.fulfill({ response, json: body });
    });
    try {
      const result = await testUrl(page, 'https://App.example.com/callback/');
      expect(await result.getByRole('listitem').allInnerTexts()).toEqual(details.map((detail) => detail.message));
      expect(await testUrl(page, 'https://app.example.com/callback').then((shown) => shown.innerText())).toBe('Matches https://app.example.com/callback: someFutureRule.');
    } finally {
      await page.unroute('**/graphql');
    }
  });

  it('has a focus ring of 3:1 or more on the Test button, and fits 375 px with a long URL and its result', async () => {
    const { page } = suite;
    await box(page).getByLabel('Redirect URL to test').focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', name: 'Test' });
    const ring = await focusRing(page);
    expect(ring.width).toBeGreaterThanOrEqual(2);
    expect(ring.surfaces.filter((surface) => contrastRatio(ring.color, surface) < 3)).toEqual([]);

    await page.setViewportSize({ width: 375, height: 800 });
    try {
      await testUrl(page, `https://app.example.com/callback/${'segment/'.repeat(30)}?state=${'x'.repeat(120)}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await expectNoViolations(page);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('lets an auditor test a URL (a query), on a page where nothing can be changed', async () => {
    const auditor = (await suite.test.caller(suite.tenantId, { roles: [ROLES.auditor], subject: 'rita', name: 'Rita Reviewer' })).token;
    const other = await suite.browser.context.newPage();
    try {
      await signIn(other, suite.test.url, auditor);
      await openRoute(other, suite.test.url, `#/clients/${clientId}`);
      expect(await other.getByRole('button', { name: 'Save name' }).count()).toBe(0);
      const result = await testUrl(other, 'http://127.0.0.1:8080/cb', { by: 'enter' });
      expect(await result.innerText()).toBe('Matches http://127.0.0.1/cb: any port is allowed on a loopback IP address (RFC 8252 §7.3).');
      await expectNoViolations(other);
    } finally {
      await other.close();
    }
  });

  it('shows the API’s error at the field, as the other fields do: a URL too long, the server unreachable, the client gone', async () => {
    // A page of its own: the error answers are what this test wants, not problems of the suite's page.
    const other = await suite.browser.context.newPage();
    try {
      await signIn(other, suite.test.url, suite.admin);
      await openRoute(other, suite.test.url, `#/clients/${clientId}`);
      const field = box(other).getByLabel('Redirect URL to test');
      const alert = box(other).getByRole('alert');

      // Whatever the API answers for a URL above 2048 characters, the box shows it: its error, or its result.
      const long = `https://app.example.com/${'a'.repeat(3000)}`;
      const answer = await suite.test.gql(MATCH, { clientId, url: long }, { token: suite.admin });
      await field.fill(long);
      await field.press('Enter');
      if (answer.errors) {
        await alert.waitFor();
        expect(await alert.innerText()).toBe(answer.errors[0].message);
        expect(await field.getAttribute('aria-invalid')).toBe('true');
      } else {
        await box(other).getByRole('status').locator('p').first().waitFor();
        expect(await box(other).getByRole('status').innerText()).toMatch(answer.data.matchRedirectUrl.matched ? /^Matches / : /^Does not match /);
      }

      await other.route('**/graphql', (route) => route.abort('internetdisconnected'));
      await field.fill('https://app.example.com/callback');
      await box(other).getByRole('button', { name: 'Test' }).click();
      await alert.waitFor();
      expect(await alert.innerText()).toBe('The server could not be reached. Check your connection and try again.');
      expect(await box(other).getByRole('status').innerText()).toBe('');
      await other.unroute('**/graphql');

      const gone = (await addClient(suite.test, { name: 'Gone soon' }, suite.admin)).id;
      await openRoute(other, suite.test.url, `#/clients/${gone}`);
      const deleted = await suite.test.gql('mutation($input: DeleteAuthorizationCodeClientInput!) { deleteAuthorizationCodeClient(input: $input) { changed } }', { input: { clientId: gone } }, { token: suite.admin });
      expect(deleted.errors).toBeUndefined();
      const notFound = await suite.test.gql(MATCH, { clientId: gone, url: 'https://app.example.com/callback' }, { token: suite.admin });
      expect(notFound.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
      await box(other).getByLabel('Redirect URL to test').fill('https://app.example.com/callback');
      await box(other).getByRole('button', { name: 'Test' }).click();
      await box(other).getByRole('alert').waitFor();
      expect(await box(other).getByRole('alert').innerText()).toBe(notFound.errors![0].message);
      await expectNoViolations(other);
    } finally {
      await other.close();
    }
  });

  it('loaded nothing from elsewhere and logged no error', () => expectNoPageProblems(suite));
});
