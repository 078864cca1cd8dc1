import { type Page } from 'playwright-core';
import { AUDIT_ACTIONS } from '../../projections';
import { describeInBrowser } from '../testing/browser';
import { addClient } from '../testing/testApp';
import { expectNoPageProblems, openRoute, screenshot, until, useConsoleSuite } from './consoleSuite';

jest.setTimeout(60_000);

/** The service's clock: each change below is recorded at the time set here. */
let now = new Date('2026-03-01T09:00:00.000Z');
const at = (iso: string) => {
  now = new Date(iso);
};

/** The History rows as [when (ISO), client, who, what]. */
async function rows(page: Page): Promise<string[][]> {
  return page.locator('table.history tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [
      tr.querySelector('time')?.getAttribute('datetime') ?? '',
      tr.querySelector('td[data-label="Client"]')?.textContent ?? '',
      tr.querySelector('td[data-label="Who"]')?.textContent ?? '',
      tr.querySelector('td[data-label="What"]')?.textContent ?? '',
    ]),
  );
}

/** An instant as a `datetime-local` field takes it, in the browser's own time zone. */
const localInput = (page: Page, iso: string) =>
  page.evaluate((instant) => {
    const date = new Date(instant);
    const pad = (value: number) => String(value).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  }, iso);

describeInBrowser('The History page’s filters: action, actor, client and time range', () => {
  const suite = useConsoleSuite({ tenantId: 'tenant-history', overrides: { now: () => now } });
  let alpha: string;
  let beta: string;

  beforeAll(async () => {
    const bo = (await suite.test.caller(suite.tenantId, { name: 'Bo Admin', subject: 'bo' })).token;
    const run = async (query: string, input: Record<string, unknown>, token: string) => {
      const response = await suite.test.gql(query, { input }, { token });
      if (response.errors) throw new Error(JSON.stringify(response.errors));
    };
    at('2026-03-01T09:00:00.000Z');
    alpha = (await addClient(suite.test, { name: 'Alpha' }, suite.admin)).id;
    at('2026-03-01T10:00:00.000Z');
    await run('mutation($input: AddRedirectUrlInput!) { addRedirectUrl(input: $input) { changed } }', { clientId: alpha, url: 'https://alpha.example.com/cb' }, bo);
    at('2026-03-01T11:00:00.000Z');
    beta = (await addClient(suite.test, { name: 'Beta' }, suite.admin)).id;
    at('2026-03-01T12:00:00.000Z');
    await run('mutation($input: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $input) { changed } }', { clientId: beta, name: 'Beta 2' }, bo);
    at('2026-03-01T13:00:00.000Z');
    await run('mutation($input: DisableAuthorizationCodeClientInput!) { disableAuthorizationCodeClient(input: $input) { changed } }', { clientId: alpha }, suite.admin);
  });

  /** Applies the filters as typed so far and waits for the list they answer. */
  const apply = async (page: Page, expected: string[][]) => {
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await until(`the rows ${JSON.stringify(expected)}`, async () => JSON.stringify(await rows(page)) === JSON.stringify(expected)).catch(async (error: Error) => {
      throw new Error(`${error.message}; shown: ${JSON.stringify(await rows(page))}`);
    });
  };

  const clear = async (page: Page) => {
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await until('every entry again', async () => (await rows(page)).length === 5);
  };

  it('offers every audit action the API writes', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, '#/history');
    const options = await page.getByLabel('Action').locator('option').evaluateAll((all) => all.map((option) => (option as HTMLOptionElement).value));
    expect(options).toEqual(['', ...Object.values(AUDIT_ACTIONS)]);
  });

  it('filters by action, by actor and by client, alone and together', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, '#/history');
    await until('all five entries', async () => (await rows(page)).length === 5);
    expect(await page.getByRole('status').filter({ hasText: 'changes shown' }).innerText()).toBe('5 of 5 changes shown, newest first.');

    await page.getByLabel('Action').selectOption('client.created');
    await apply(page, [
      ['2026-03-01T11:00:00.000Z', 'Beta', 'Ada Admin', 'client.created'],
      ['2026-03-01T09:00:00.000Z', 'Alpha', 'Ada Admin', 'client.created'],
    ]);
    await clear(page);
    expect(await page.getByLabel('Action').inputValue()).toBe('');

    await page.getByLabel('Actor id').fill('bo');
    await apply(page, [
      ['2026-03-01T12:00:00.000Z', 'Beta 2', 'Bo Admin', 'client.renamed'],
      ['2026-03-01T10:00:00.000Z', 'Alpha', 'Bo Admin', 'client.redirect_url.added'],
    ]);
    await screenshot(page, 'console-history.png');
    await clear(page);

    await page.getByLabel('Client Id').fill(alpha);
    // Enter in a field applies the filters as well.
    await page.keyboard.press('Enter');
    await until('only Alpha’s entries', async () => (await rows(page)).map((row) => row[3]).join() === 'client.disabled,client.redirect_url.added,client.created');
    await page.getByLabel('Actor id').fill('ada');
    await apply(page, [
      ['2026-03-01T13:00:00.000Z', 'Alpha', 'Ada Admin', 'client.disabled'],
      ['2026-03-01T09:00:00.000Z', 'Alpha', 'Ada Admin', 'client.created'],
    ]);

    await page.getByLabel('Action').selectOption('client.deleted');
    await apply(page, []);
    await page.getByText('No change matches these filters.').waitFor();
    await clear(page);
  });

  it('filters by a time range: From included, To not', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, '#/history');
    await until('all five entries', async () => (await rows(page)).length === 5);
    await page.getByLabel('From', { exact: true }).fill(await localInput(page, '2026-03-01T10:00:00.000Z'));
    await page.getByLabel('To', { exact: true }).fill(await localInput(page, '2026-03-01T12:00:00.000Z'));
    await apply(page, [
      ['2026-03-01T11:00:00.000Z', 'Beta', 'Ada Admin', 'client.created'],
      ['2026-03-01T10:00:00.000Z', 'Alpha', 'Bo Admin', 'client.redirect_url.added'],
    ]);
    await page.getByLabel('To', { exact: true }).fill('');
    await apply(page, [
      ['2026-03-01T13:00:00.000Z', 'Alpha', 'Ada Admin', 'client.disabled'],
      ['2026-03-01T12:00:00.000Z', 'Beta 2', 'Bo Admin', 'client.renamed'],
      ['2026-03-01T11:00:00.000Z', 'Beta', 'Ada Admin', 'client.created'],
      ['2026-03-01T10:00:00.000Z', 'Alpha', 'Bo Admin', 'client.redirect_url.added'],
    ]);
    // With a client too: Beta's changes from noon on.
    await page.getByLabel('Client Id').fill(beta);
    await page.getByLabel('From', { exact: true }).fill(await localInput(page, '2026-03-01T12:00:00.000Z'));
    await apply(page, [['2026-03-01T12:00:00.000Z', 'Beta 2', 'Bo Admin', 'client.renamed']]);
    await clear(page);
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe('');
  });

  it('shows the answer to the filters applied last, even when an earlier answer comes later', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, '#/history');
    await until('all five entries', async () => (await rows(page)).length === 5);
    let delayed = false;
    // Bo's changes are answered 1.5 s late; the filters applied after them are answered at once.
    await page.route('**/graphql', async (route) => {
      if (!(route.request().postData() ?? '').includes('"actorId":"bo"')) return route.fallback();
      delayed = true;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return route.fallback();
    });
    try {
      await page.getByLabel('Actor id').fill('bo');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await until('the slow request sent', () => Promise.resolve(delayed));
      await page.getByLabel('Actor id').fill('');
      await page.getByLabel('Action').selectOption('client.disabled');
      await apply(page, [['2026-03-01T13:00:00.000Z', 'Alpha', 'Ada Admin', 'client.disabled']]);
      await page.waitForTimeout(2_000);
      expect(await rows(page)).toEqual([['2026-03-01T13:00:00.000Z', 'Alpha', 'Ada Admin', 'client.disabled']]);
    } finally {
      await page.unroute('**/graphql');
    }
  });

  it('loaded nothing from elsewhere and logged no error', () => expectNoPageProblems(suite));
});
