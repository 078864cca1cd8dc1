import { describeInBrowser } from '../testing/browser';
import { addClient } from '../testing/testApp';
import { expectNoPageProblems, openRoute, useConsoleSuite } from './consoleSuite';

jest.setTimeout(60_000);

/** Markup that runs script wherever a page puts text into its HTML unescaped. */
const HOSTILE = '<img src=x onerror="window.__injected=1">';

describeInBrowser('The console shows hostile values as text, never as markup', () => {
  const suite = useConsoleSuite({ tenantId: 'tenant-hostile' });
  let id: string;

  beforeAll(async () => {
    id = (await addClient(suite.test, { name: `Name ${HOSTILE}` }, suite.admin)).id;
    const response = await suite.test.gql(
      'mutation($input: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $input) { changed } }',
      { input: { clientId: id, name: `Renamed ${HOSTILE}`, reason: `Because <b>bold</b> ${HOSTILE}` } },
      { token: suite.admin },
    );
    if (response.errors) throw new Error(JSON.stringify(response.errors));
  });

  it.each([
    ['the client list', () => '#/clients'],
    ['the client’s page and its history', () => `#/clients/${id}`],
    ['the History page', () => '#/history'],
    ['the client as it was', () => `#/clients/${id}/versions/1`],
  ])('%s', async (_page, route) => {
    const { page } = suite;
    await openRoute(page, suite.test.url, route());
    await page.getByText(HOSTILE, { exact: false }).first().waitFor();
    expect(await page.evaluate(() => ({ injected: (window as { __injected?: number }).__injected, images: document.querySelectorAll('main img').length, bold: document.querySelectorAll('main b').length }))).toEqual({
      injected: undefined,
      images: 0,
      bold: 0,
    });
  });

  it('loaded nothing from elsewhere and logged no error', () => expectNoPageProblems(suite));
});
