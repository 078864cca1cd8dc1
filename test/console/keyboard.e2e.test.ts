import { type Page } from 'playwright-core';
import { describeInBrowser } from '../testing/browser';
import { CLIENT_FIELDS, addClient } from '../testing/testApp';
import { expectNoPageProblems, focused, openRoute, until, useConsoleSuite } from './consoleSuite';

jest.setTimeout(60_000);

/** Presses `key` `times` times, checking after each press that focus is still inside the open dialog. */
async function pressStayingInDialog(page: Page, key: string, times: number): Promise<void> {
  for (let press = 0; press < times; press += 1) {
    await page.keyboard.press(key);
    expect(await focused(page)).toMatchObject({ inDialog: true });
  }
}

describeInBrowser('The admin console by keyboard: where focus goes and what is announced', () => {
  const suite = useConsoleSuite();

  const clientFromApi = async (id: string) =>
    (await suite.test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { ${CLIENT_FIELDS} } }`, { id }, { token: suite.admin })).data
      .authorizationCodeClient;

  it('the created dialog opens on Close, keeps Tab inside, closes on Escape; the list says so, focus on the new row', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, '#/clients/new');
    await page.getByLabel('Name').fill('AAA keyboard app');
    await page.getByLabel('Allowed Redirect URL(s)').fill('https://keys.example.com/cb');
    await page.keyboard.press('Enter');
    await page.locator('.entries .value').getByText('https://keys.example.com/cb').waitFor();
    await page.getByRole('button', { name: 'Add', exact: true }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Client Successfully Created' });
    await dialog.waitFor();
    const clientId = (await dialog.locator('code').innerText()).trim();
    await until('focus on Close', async () => (await focused(page)).name === 'Close');
    expect(await focused(page)).toMatchObject({ tag: 'button', name: 'Close', inDialog: true });

    // Two controls (Copy, Close): Tab and Shift+Tab go round them and never leave.
    await pressStayingInDialog(page, 'Tab', 5);
    await pressStayingInDialog(page, 'Shift+Tab', 5);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ name: 'Copy Client Id' });
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toMatchObject({ name: 'Close' });

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    const status = page.getByRole('status').filter({ hasText: 'was created' });
    expect(await status.innerText()).toBe(`Client “AAA keyboard app” was created. Its Client Id is ${clientId}.`);
    await until('focus on the new row', async () => (await focused(page)).id === `client-link-${clientId}`);
    expect(await focused(page)).toMatchObject({ tag: 'a', name: 'AAA keyboard app' });
  });

  it('the delete confirmation opens on Cancel, so Enter, Enter deletes nothing; Delete is a Tab away', async () => {
    const client = await addClient(suite.test, { name: 'Kept by Enter' }, suite.admin);
    const { page } = suite;
    await openRoute(page, suite.test.url, `#/clients/${client.id}`);
    const confirm = page.getByRole('alertdialog', { name: 'Delete this client?' });
    await page.getByRole('button', { name: 'Delete client' }).focus();
    for (let round = 0; round < 2; round += 1) {
      await page.keyboard.press('Enter');
      await confirm.waitFor();
      expect(await focused(page)).toMatchObject({ tag: 'button', name: 'Cancel', inDialog: true });
      await page.keyboard.press('Enter');
      await confirm.waitFor({ state: 'detached' });
      expect(await focused(page)).toMatchObject({ name: 'Delete client', inDialog: false });
    }
    expect(await clientFromApi(client.id)).not.toBeNull();

    await page.keyboard.press('Enter');
    await confirm.waitFor();
    await pressStayingInDialog(page, 'Tab', 3);
    await pressStayingInDialog(page, 'Shift+Tab', 3);
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(await focused(page)).toMatchObject({ name: 'Delete client', inDialog: false });
    expect(await clientFromApi(client.id)).not.toBeNull();

    await page.keyboard.press('Enter');
    await confirm.waitFor();
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toMatchObject({ name: 'Delete client', inDialog: true });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await page.getByRole('status').getByText(`Client “Kept by Enter” (${client.id}) was deleted.`).waitFor();
    expect(await clientFromApi(client.id)).toBeNull();
  });

  it('Disable asks first, opening on Cancel; afterwards focus is back on the button and the page says it saved', async () => {
    const client = await addClient(suite.test, { name: 'Switched off' }, suite.admin);
    const { page } = suite;
    await openRoute(page, suite.test.url, `#/clients/${client.id}`);
    const confirm = page.getByRole('alertdialog', { name: 'Disable this client?' });
    await page.getByRole('button', { name: 'Disable client' }).focus();
    await page.keyboard.press('Enter');
    await confirm.waitFor();
    expect(await focused(page)).toMatchObject({ tag: 'button', name: 'Cancel', inDialog: true });
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'detached' });
    expect(await focused(page)).toMatchObject({ name: 'Disable client', inDialog: false });
    expect((await clientFromApi(client.id)).enabled).toBe(true);

    await page.keyboard.press('Enter');
    await confirm.waitFor();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ name: 'Disable client', inDialog: true });
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Enable client' }).waitFor();
    expect(await focused(page)).toMatchObject({ name: 'Enable client', inDialog: false });
    expect(await page.locator('.saved[role="status"]').innerText()).toBe('Saved.');
    expect((await clientFromApi(client.id)).enabled).toBe(false);

    // Enabling again needs no confirmation.
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Disable client' }).waitFor();
    expect(await confirm.count()).toBe(0);
    expect((await clientFromApi(client.id)).enabled).toBe(true);
  });

  it('"+" leaves focus in the field for the next entry, refused or not; Remove moves it to the next entry or the field', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, '#/clients/new');
    const field = page.getByLabel('Allowed Redirect URL(s)');
    const urls = ['https://one.example.com/cb', 'https://two.example.com/cb', 'https://three.example.com/cb'];
    for (const url of urls) {
      await field.focus();
      await page.keyboard.type(url);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ name: 'Add redirect URL' });
      await page.keyboard.press('Enter');
      await page.locator('.entries .value').getByText(url, { exact: true }).waitFor();
      await until('focus back in the field', async () => (await focused(page)).name === 'Allowed Redirect URL(s)');
      expect(await field.inputValue()).toBe('');
    }

    // Refused: the entry stays in the field, focus too, and the one message is announced.
    await page.keyboard.type('http://plain.example.com/cb');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await until('the field marked invalid', async () => (await field.getAttribute('aria-invalid')) === 'true');
    expect(await focused(page)).toMatchObject({ tag: 'input', name: 'Allowed Redirect URL(s)' });
    expect(await page.getByRole('alert').count()).toBe(1);
    expect(await page.getByRole('alert').innerText()).toMatch(/https/);
    await field.fill('');

    await page.getByRole('button', { name: `Remove ${urls[0]}` }).focus();
    await page.keyboard.press('Enter');
    await page.locator('.entries .value').getByText(urls[0]).waitFor({ state: 'detached' });
    expect(await focused(page)).toMatchObject({ name: `Remove ${urls[1]}` });
    await page.getByRole('button', { name: `Remove ${urls[2]}` }).focus();
    await page.keyboard.press('Enter');
    await page.locator('.entries .value').getByText(urls[2]).waitFor({ state: 'detached' });
    expect(await focused(page)).toMatchObject({ tag: 'input', name: 'Allowed Redirect URL(s)' });
  });

  it('on a client’s page, Remove moves focus on, and a refused Remove keeps it there with the reason announced', async () => {
    const urls = ['https://first.example.com/cb', 'https://second.example.com/cb'];
    const client = await addClient(suite.test, { name: 'Trimmed', allowedRedirectUrls: urls }, suite.admin);
    const { page } = suite;
    await openRoute(page, suite.test.url, `#/clients/${client.id}`);
    await page.getByRole('button', { name: `Remove ${urls[0]}` }).focus();
    await page.keyboard.press('Enter');
    await page.locator('.entries .value').getByText(urls[0]).waitFor({ state: 'detached' });
    await until('focus on the next Remove', async () => (await focused(page)).name === `Remove ${urls[1]}`);
    expect((await clientFromApi(client.id)).allowedRedirectUrls).toEqual([urls[1]]);

    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText('A client needs at least one allowed redirect URL').waitFor();
    expect(await focused(page)).toMatchObject({ name: `Remove ${urls[1]}` });

    const field = page.getByLabel('Allowed Redirect URL(s)');
    await field.fill('https://third.example.com/cb');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('.entries .value').getByText('https://third.example.com/cb').waitFor();
    await until('focus back in the field', async () => (await focused(page)).name === 'Allowed Redirect URL(s)');
  });

  it('Add with errors moves focus to the first field to fix and announces one summary, not one alert per field', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, '#/clients/new');
    const lifetime = page.getByLabel('Token Lifetime');
    await lifetime.fill('30');
    await page.keyboard.press('Tab');
    await until('the lifetime checked on leaving it', async () => (await lifetime.getAttribute('aria-invalid')) === 'true');
    // One field's answer to leaving it: that field alone speaks.
    expect(await page.getByRole('alert').count()).toBe(1);

    await page.getByRole('button', { name: 'Add', exact: true }).focus();
    await page.keyboard.press('Enter');
    const alerts = page.getByRole('alert');
    await alerts.filter({ hasText: 'Not added.' }).waitFor();
    expect(await alerts.count()).toBe(1);
    expect(await alerts.innerText()).toBe('Not added. 3 fields need a change: Name, Allowed Redirect URL(s), Token Lifetime.');
    await until('focus on Name', async () => (await focused(page)).name === 'Name');
    expect(await focused(page)).toMatchObject({ tag: 'input', name: 'Name' });
    // Each field still shows its messages, tied to it, without speaking over the summary.
    for (const label of ['Name', 'Allowed Redirect URL(s)', 'Token Lifetime']) {
      const field = page.getByLabel(label, { exact: true });
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      const errorId = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').at(-1);
      const message = page.locator(`[id="${errorId}"]`);
      expect((await message.innerText()).length).toBeGreaterThan(0);
      expect(await message.getAttribute('role')).toBeNull();
    }

    // Fixed the name, Add again: the first field to fix is now the redirect URL list.
    await page.keyboard.type('Half fixed');
    await page.getByRole('button', { name: 'Add', exact: true }).focus();
    await page.keyboard.press('Enter');
    await alerts.filter({ hasText: '2 fields need a change: Allowed Redirect URL(s), Token Lifetime.' }).waitFor();
    await until('focus on the redirect URL field', async () => (await focused(page)).name === 'Allowed Redirect URL(s)');
    expect(await alerts.count()).toBe(1);
  });

  it('"Show older changes" puts focus on the first entry it loaded', async () => {
    const client = await addClient(suite.test, { name: 'Renamed 0' }, suite.admin);
    for (let round = 1; round <= 24; round += 1) {
      const renamed = await suite.test.gql(
        'mutation($input: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $input) { changed } }',
        { input: { clientId: client.id, name: `Renamed ${round}` } },
        { token: suite.admin },
      );
      expect(renamed.errors).toBeUndefined();
    }
    const { page } = suite;
    await openRoute(page, suite.test.url, `#/clients/${client.id}`);
    const rows = page.locator('table.history tbody tr');
    await page.getByText('20 of 25 changes shown, newest first.').waitFor();
    await page.getByRole('button', { name: 'Show older changes' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('25 of 25 changes shown, newest first.').waitFor();
    await until('focus on the first older entry', async () => (await focused(page)).tag === 'tr');
    const focusedRow = await page.evaluate(() => {
      const row = document.activeElement as HTMLTableRowElement;
      return { index: row.sectionRowIndex, what: row.querySelector('td[data-label="What"]')?.textContent, ins: row.querySelector('ins')?.textContent };
    });
    // Newest first: the 21st entry is the fifth change, the rename to "Renamed 4".
    expect(focusedRow).toEqual({ index: 20, what: 'client.renamed', ins: 'Renamed 4' });
    expect(await rows.count()).toBe(25);
    expect(await page.getByRole('button', { name: 'Show older changes' }).count()).toBe(0);
  });

  it('a setting’s Save, once there is nothing left to save, leaves focus in its field, not on the page', async () => {
    const client = await addClient(suite.test, { name: 'Saved by keys' }, suite.admin);
    const { page } = suite;
    await openRoute(page, suite.test.url, `#/clients/${client.id}`);
    await page.getByLabel('Name', { exact: true }).fill('Saved by keys 2');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ name: 'Save name' });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Saved by keys 2/, level: 1 }).waitFor();
    await until('focus back in Name', async () => (await focused(page)).name === 'Name');
    expect(await page.locator('.saved[role="status"]').innerText()).toBe('Saved.');

    await page.getByLabel('Client URI').fill('https://saved.example.com');
    await page.getByRole('button', { name: 'Save links' }).focus();
    await page.keyboard.press('Enter');
    await until('links saved', async () => (await clientFromApi(client.id)).clientUri === 'https://saved.example.com');
    await until('focus on Client URI', async () => (await focused(page)).name === 'Client URI');
  });

  it('loaded nothing from elsewhere and logged no error', () => expectNoPageProblems(suite));
});
