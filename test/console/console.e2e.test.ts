import { type Page } from 'playwright-core';
import { buildWebAssets } from '../testing/webAssets';
import { type OfflineBrowser, type PageProblems, describeInBrowser, launchOfflineBrowser, watchPage } from '../testing/browser';
import { CLIENT_FIELDS, type TestApp, addClient, startTestApp } from '../testing/testApp';
import { openRoute, screenshot, signIn, until } from './consoleSuite';

jest.setTimeout(60_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An entry shown in one of the form's lists (not the same text in the history below). */
const listed = (page: Page, text: string) => page.locator('.entries .value').getByText(text, { exact: true });

/** The client as the API has it: the oracle the console's effects are checked against. */
async function clientFromApi(test: TestApp, token: string, id: string) {
  const response = await test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { ${CLIENT_FIELDS} } }`, { id }, { token });
  return response.data.authorizationCodeClient;
}

/** The violations the API itself answers when adding this input. */
async function apiViolations(test: TestApp, token: string, input: Record<string, unknown>) {
  const response = await test.gql(
    'mutation($input: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $input) { changed } }',
    { input },
    { token },
  );
  return response.errors?.[0]?.extensions.violations as { field: string; rule: string; message: string; index?: number }[];
}

describeInBrowser('The admin console in a browser', () => {
  let test: TestApp;
  let browser: OfflineBrowser;
  let page: Page;
  let admin: string;
  const problems: PageProblems = { console: [], requests: [] };

  beforeAll(async () => {
    await buildWebAssets();
    test = await startTestApp({ eventStore: 'sqlite' });
    admin = (await test.caller('tenant-console', { name: 'Ada Admin', subject: 'ada' })).token;
    browser = await launchOfflineBrowser(() => [test.url]);
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: test.url });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    watchPage(page, problems);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await test?.dispose();
  });

  it('signs in with a pasted access token, keeping it out of the URL', async () => {
    await page.goto(`${test.url}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect(page.getByText('npm run token -- --tenant demo --role "Tenant Administrator"').count()).resolves.toBe(1);

    await page.getByLabel('Access token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toMatch(/token/i);

    await screenshot(page, 'console-sign-in.png');
    await page.getByLabel('Access token').fill(admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await page.getByText('Ada Admin').waitFor();
    expect(page.url()).not.toContain(admin);
    const stored = await page.evaluate(() => JSON.stringify({ ...window.localStorage }));
    expect(stored).not.toContain(admin);
  });

  it('adds a client the way an administrator does, and shows its Client Id', async () => {
    await page.goto(`${test.url}/#/clients`);
    const clientType = page.getByLabel('Client Type');
    expect(await clientType.evaluate((select) => select.tagName)).toBe('SELECT');
    expect(await clientType.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent)).toBe('Authorization Code');

    await page.getByRole('button', { name: 'Add Client' }).click();
    await page.getByRole('heading', { name: 'Add Client', level: 1 }).waitFor();
    await page.getByLabel('Name').fill('Shop front');

    const redirect = page.getByLabel('Allowed Redirect URL(s)');
    for (const url of ['https://shop.example.com/callback', 'https://shop.example.com/typo', 'com.example.shop:/callback']) {
      await redirect.fill(url);
      await page.getByRole('button', { name: 'Add redirect URL' }).click();
      await page.getByText(url, { exact: true }).waitFor();
      expect(await redirect.inputValue()).toBe('');
    }
    // A listed URL can be removed again before saving.
    await page.getByRole('button', { name: 'Remove https://shop.example.com/typo' }).click();
    await page.getByText('https://shop.example.com/typo', { exact: true }).waitFor({ state: 'detached' });

    await page.getByLabel('Allowed Logout Redirect URL(s)').fill('https://shop.example.com/signed-out');
    await page.getByRole('button', { name: 'Add logout redirect URL' }).click();
    await page.getByText('https://shop.example.com/signed-out', { exact: true }).waitFor();
    await page.getByLabel('Allowed CORS Origin(s)').fill('https://static.example.com');
    await page.getByRole('button', { name: 'Add CORS origin' }).click();
    await page.getByText('https://static.example.com', { exact: true }).waitFor();

    const lifetime = page.getByLabel('Token Lifetime');
    expect(await lifetime.inputValue()).toBe('3600');
    await lifetime.fill('900');
    await screenshot(page, 'console-add-client.png');

    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Client Successfully Created' });
    await dialog.waitFor();
    const clientId = (await dialog.locator('code').innerText()).trim();
    expect(clientId).toMatch(UUID);

    await dialog.getByRole('button', { name: 'Copy Client Id' }).click();
    await dialog.getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(clientId);
    await screenshot(page, 'console-client-created.png');

    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await page.getByRole('table').getByText(clientId).waitFor();

    expect(await clientFromApi(test, admin, clientId)).toMatchObject({
      id: clientId,
      name: 'Shop front',
      enabled: true,
      tokenLifetime: 900,
      allowedRedirectUrls: ['https://shop.example.com/callback', 'com.example.shop:/callback'],
      allowedLogoutRedirectUrls: ['https://shop.example.com/signed-out'],
      allowedCorsOrigins: ['https://static.example.com'],
      createdBy: { id: 'ada', name: 'Ada Admin' },
    });
  });

  it('refuses an invalid entry at its field with the API’s own rule and message, adding nothing', async () => {
    await page.goto(`${test.url}/#/clients/new`);
    await page.getByLabel('Name').fill('Refusals');
    const refused = 'http://shop.example.com/callback';
    const expected = await apiViolations(test, admin, { name: 'Refusals', allowedRedirectUrls: [refused] });
    expect(expected).toEqual([expect.objectContaining({ field: 'allowedRedirectUrls', rule: 'redirectUrl', index: 0 })]);

    const redirect = page.getByLabel('Allowed Redirect URL(s)');
    await redirect.fill(refused);
    await page.getByRole('button', { name: 'Add redirect URL' }).click();
    await until('the redirect URL field is marked invalid', async () => (await redirect.getAttribute('aria-invalid')) === 'true');
    const describedBy = (await redirect.getAttribute('aria-describedby')) ?? '';
    const message = await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).innerText();
    expect(message).toBe(expected[0].message);
    expect(await redirect.inputValue()).toBe(refused);
    expect(await page.locator('.entries li').count()).toBe(0);

    // A CORS origin with a path, and a lifetime below the minimum: each refused where it is typed.
    const origin = page.getByLabel('Allowed CORS Origin(s)');
    await origin.fill('https://static.example.com/assets');
    await page.getByRole('button', { name: 'Add CORS origin' }).click();
    const originRule = await apiViolations(test, admin, {
      name: 'x',
      allowedRedirectUrls: ['https://a.example.com/cb'],
      allowedCorsOrigins: ['https://static.example.com/assets'],
    });
    await page.getByText(originRule[0].message).waitFor();
    expect(await origin.getAttribute('aria-invalid')).toBe('true');

    const lifetime = page.getByLabel('Token Lifetime');
    await lifetime.fill('30');
    await lifetime.blur();
    const lifetimeRule = await apiViolations(test, admin, { name: 'x', allowedRedirectUrls: ['https://a.example.com/cb'], tokenLifetime: 30 });
    await page.getByText(lifetimeRule[0].message).waitFor();
    expect(await lifetime.getAttribute('aria-invalid')).toBe('true');

    await screenshot(page, 'console-refused-url.png');

    // Add anyway: the API refuses the form, each message at its field, and nothing is recorded.
    await redirect.fill('https://shop.example.com/ok');
    await page.getByRole('button', { name: 'Add redirect URL' }).click();
    await page.getByText('https://shop.example.com/ok', { exact: true }).waitFor();
    await page.getByLabel('Name').fill('');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const nameRule = await apiViolations(test, admin, { name: '', allowedRedirectUrls: ['https://a.example.com/cb'] });
    await page.getByText(nameRule[0].message).waitFor();
    expect(await page.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    const list = await test.gql('{ authorizationCodeClients(filter: { search: "Refusals" }) { totalCount } }', {}, { token: admin });
    expect(list.data.authorizationCodeClients.totalCount).toBe(0);
  });

  it('searches, filters, sorts and pages the list', async () => {
    for (let index = 1; index <= 12; index += 1) {
      await addClient(test, { name: `Paged ${String(index).padStart(2, '0')}`, enabled: index % 4 !== 0 }, admin);
    }
    await page.goto(`${test.url}/#/clients`);
    await page.getByLabel('Search').fill('paged');
    await page.getByLabel('Per page').selectOption('10');
    const rows = page.locator('table.clients tbody tr');
    const names = () => rows.locator('td[data-label="Name"]').allInnerTexts();
    await until('the first page of 10', async () => (await names()).length === 10 && (await names())[0] === 'Paged 01');
    await page.getByText('1–10 of 12').waitFor();

    await page.getByRole('button', { name: 'Next page' }).click();
    await until('the second page', async () => JSON.stringify(await names()) === JSON.stringify(['Paged 11', 'Paged 12']));
    await page.getByText('11–12 of 12').waitFor();
    await page.getByRole('button', { name: 'Previous page' }).click();
    await until('back to the first page', async () => (await names())[0] === 'Paged 01');

    await page.getByLabel('Status').selectOption('disabled');
    await until('only the disabled ones', async () => JSON.stringify(await names()) === JSON.stringify(['Paged 04', 'Paged 08', 'Paged 12']));
    await page.getByLabel('Sort by').selectOption({ label: 'Name (Z to A)' });
    await until('in reverse', async () => JSON.stringify(await names()) === JSON.stringify(['Paged 12', 'Paged 08', 'Paged 04']));

    // Search by id too.
    const someone = await addClient(test, { name: 'Found by id' }, admin);
    await page.getByLabel('Status').selectOption('all');
    await page.getByLabel('Search').fill(someone.id.slice(0, 13).toUpperCase());
    await until('the client found by id', async () => JSON.stringify(await names()) === JSON.stringify(['Found by id']));
    await screenshot(page, 'console-clients.png');
  });

  it('copies a client’s Id from its row in the list, by mouse or keyboard', async () => {
    const client = await addClient(test, { name: 'Copied from its row' }, admin);
    await openRoute(page, test.url, '#/clients');
    await page.getByLabel('Search').fill('Copied from its row');
    const row = page.locator('table.clients tbody tr', { hasText: 'Copied from its row' });
    await until('only that row', async () => (await page.locator('table.clients tbody tr').count()) === 1);
    const copy = row.getByRole('button', { name: 'Copy Client Id of Copied from its row' });
    await copy.click();
    await row.getByRole('status').getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(client.id);

    await page.evaluate(() => navigator.clipboard.writeText('something else'));
    await copy.focus();
    await page.keyboard.press('Enter');
    await until('the id on the clipboard again', async () => (await page.evaluate(() => navigator.clipboard.readText())) === client.id);
  });

  it('edits every setting of a client, each change in its history with who, when, why, before and after', async () => {
    const client = await addClient(test, { name: 'Editable' }, admin);
    await page.goto(`${test.url}/#/clients`);
    await page.getByLabel('Search').fill('Editable');
    await page.getByRole('link', { name: 'Editable' }).click();
    await page.getByRole('heading', { name: /Editable/, level: 1 }).waitFor();

    await page.getByLabel('Reason for your changes (optional)').fill('Ticket 42');
    await page.getByLabel('Name').fill('Edited app');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('heading', { name: /Edited app/, level: 1 }).waitFor();

    await page.getByLabel('Token Lifetime').fill('600');
    await page.getByRole('button', { name: 'Save token lifetime' }).click();
    await until('lifetime saved', async () => (await clientFromApi(test, admin, client.id)).tokenLifetime === 600);

    await page.getByLabel('Allowed Redirect URL(s)').fill('https://edited.example.com/cb');
    await page.getByRole('button', { name: 'Add redirect URL' }).click();
    await listed(page, 'https://edited.example.com/cb').waitFor();
    await page.getByRole('button', { name: 'Remove https://app.example.com/callback' }).click();
    await listed(page, 'https://app.example.com/callback').waitFor({ state: 'detached' });
    // The last redirect URL cannot go: the API says why, at the field.
    await page.getByRole('button', { name: 'Remove https://edited.example.com/cb' }).click();
    await page.getByText('A client needs at least one allowed redirect URL').waitFor();

    await page.getByLabel('Allowed Logout Redirect URL(s)').fill('https://edited.example.com/bye');
    await page.getByRole('button', { name: 'Add logout redirect URL' }).click();
    await listed(page, 'https://edited.example.com/bye').waitFor();
    await page.getByLabel('Allowed CORS Origin(s)').fill('https://Edited.Example.com:443/');
    await page.getByRole('button', { name: 'Add CORS origin' }).click();
    await listed(page, 'https://edited.example.com').waitFor();
    await page.getByLabel('Tags').fill('team:shop');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await listed(page, 'team:shop').waitFor();
    await page.getByLabel('Client URI').fill('https://edited.example.com');
    await page.getByRole('button', { name: 'Save links' }).click();
    await until('links saved', async () => (await clientFromApi(test, admin, client.id)).clientUri === 'https://edited.example.com');

    await page.getByRole('button', { name: 'Disable client' }).click();
    await page.getByRole('alertdialog', { name: 'Disable this client?' }).getByRole('button', { name: 'Disable client' }).click();
    await page.getByRole('button', { name: 'Enable client' }).waitFor();

    expect(await clientFromApi(test, admin, client.id)).toMatchObject({
      name: 'Edited app',
      enabled: false,
      tokenLifetime: 600,
      allowedRedirectUrls: ['https://edited.example.com/cb'],
      allowedLogoutRedirectUrls: ['https://edited.example.com/bye'],
      allowedCorsOrigins: ['https://edited.example.com'],
      tags: ['team:shop'],
      clientUri: 'https://edited.example.com',
    });

    // The history: newest first, each entry with its actor, reason and values before and after.
    const history = page.locator('table.history tbody tr');
    await until('ten changes in the history', async () => (await history.count()) === 10);
    const newest = history.first();
    expect(await newest.locator('td[data-label="What"]').innerText()).toBe('client.disabled');
    const rename = page.locator('table.history tbody tr', { hasText: 'client.renamed' });
    expect(await rename.locator('td[data-label="Who"]').innerText()).toBe('Ada Admin');
    expect(await rename.locator('td[data-label="Why"]').innerText()).toBe('Ticket 42');
    expect(await rename.locator('del').innerText()).toBe('Editable');
    expect(await rename.locator('ins').innerText()).toBe('Edited app');
    await screenshot(page, 'console-client-details.png');

    // The tenant's audit trail shows the same changes.
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
    await page.locator('table.history tbody tr', { hasText: 'client.renamed' }).first().waitFor();
  });

  it('tells the second of two administrators saving one client that it changed, overwriting nothing', async () => {
    const client = await addClient(test, { name: 'Contended' }, admin);
    const other = await browser.context.newPage();
    watchPage(other, problems);
    try {
      await signIn(other, test.url, (await test.caller('tenant-console', { name: 'Bo Admin', subject: 'bo' })).token);
      await page.goto(`${test.url}/#/clients/${client.id}`);
      await other.goto(`${test.url}/#/clients/${client.id}`);
      await page.getByRole('heading', { name: /Contended/, level: 1 }).waitFor();
      await other.getByRole('heading', { name: /Contended/, level: 1 }).waitFor();

      await other.getByLabel('Name').fill('Renamed by Bo');
      await other.getByRole('button', { name: 'Save name' }).click();
      await other.getByRole('heading', { name: /Renamed by Bo/, level: 1 }).waitFor();

      await page.bringToFront();
      await page.getByLabel('Name').fill('Renamed by Ada');
      await page.getByRole('button', { name: 'Save name' }).click();
      const conflict = page.locator('.conflict[role="alert"]');
      await conflict.waitFor();
      expect(await conflict.innerText()).toContain('Someone else changed this client after you opened it');
      expect(await conflict.innerText()).toContain('It is now at version 2; you were working on version 1');
      expect((await clientFromApi(test, admin, client.id)).name).toBe('Renamed by Bo');
      await screenshot(page, 'console-conflict.png');

      await conflict.getByRole('button', { name: 'Reload' }).click();
      await page.getByRole('heading', { name: /Renamed by Bo/, level: 1 }).waitFor();
      expect(await page.locator('.conflict').count()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('shows a Tenant Auditor everything and offers no change', async () => {
    const client = await addClient(test, { name: 'Audited' }, admin);
    const auditor = (await test.caller('tenant-console', { roles: ['Tenant Auditor'], name: 'Aud Itor', subject: 'aud' })).token;
    const other = await browser.context.newPage();
    watchPage(other, problems);
    try {
      await signIn(other, test.url, auditor);
      expect(await other.getByRole('button', { name: 'Add Client' }).isDisabled()).toBe(true);
      await other.goto(`${test.url}/#/clients/${client.id}`);
      await other.getByRole('heading', { name: /Audited/, level: 1 }).waitFor();
      await listed(other, 'https://app.example.com/callback').waitFor();
      await other.locator('table.history tbody tr').first().waitFor();
      expect(await other.getByRole('button', { name: /Save|Remove|Delete|Disable|Add / }).count()).toBe(0);
      expect(await other.getByLabel('Name').getAttribute('readonly')).not.toBeNull();
    } finally {
      await other.close();
    }
  });

  it('deletes a client only after confirmation; its history stays', async () => {
    const client = await addClient(test, { name: 'Doomed' }, admin);
    await page.goto(`${test.url}/#/clients/${client.id}`);
    await page.getByRole('heading', { name: /Doomed/, level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Delete client' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete this client?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await clientFromApi(test, admin, client.id)).not.toBeNull();

    await page.getByRole('button', { name: 'Delete client' }).click();
    await confirm.getByRole('button', { name: 'Delete client' }).click();
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await page.getByText(`Client “Doomed” (${client.id}) was deleted.`).waitFor();
    expect(await clientFromApi(test, admin, client.id)).toBeNull();

    await page.getByRole('link', { name: 'History' }).click();
    await page.locator('table.history tbody tr', { hasText: 'client.deleted' }).first().waitFor();
  });

  it('is usable with the keyboard alone', async () => {
    await page.goto(`${test.url}/#/clients`);
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    /** Presses Tab until the focused element is `name`, as a keyboard user would. */
    const tabTo = async (name: string) => {
      for (let presses = 0; presses < 40; presses += 1) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const element = document.activeElement as HTMLElement | null;
          const label = element?.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent : null;
          return element?.getAttribute('aria-label') ?? label ?? element?.textContent ?? '';
        });
        if (focused.trim() === name) return;
      }
      throw new Error(`Tab never reached ${name}`);
    };
    await tabTo('Add Client');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Add Client', level: 1 }).waitFor();
    await tabTo('Name');
    await page.keyboard.type('Keyboard app');
    await tabTo('Allowed Redirect URL(s)');
    await page.keyboard.type('https://keys.example.com/cb');
    await page.keyboard.press('Enter');
    await page.getByText('https://keys.example.com/cb', { exact: true }).waitFor();
    await tabTo('Add');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Client Successfully Created' });
    await dialog.waitFor();
    // Focus is inside the dialog; Escape closes it and lands on the list.
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
  });

  it('reads at 375 px wide without sideways scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      for (const route of ['#/clients', '#/clients/new']) {
        await page.goto(`${test.url}/${route}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      }
      await page.goto(`${test.url}/#/clients`);
      await page.locator('table.clients tbody tr').first().waitFor();
      await screenshot(page, 'console-clients-375.png', { fullPage: false });
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('loaded nothing from elsewhere and logged no error', () => {
    expect(browser.blocked).toEqual([]);
    // The refused token of the first test answers 401, which Chromium logs; nothing else may be there.
    expect(problems.requests.filter((line) => !/\/graphql 401$/.test(line))).toEqual([]);
    expect(problems.console.filter((line) => !/status of 401/.test(line))).toEqual([]);
  });
});
