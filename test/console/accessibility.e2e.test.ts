import { type Page } from 'playwright-core';
import { axeViolations } from '../testing/axe';
import { type FocusRing, contrastRatio, focusRing } from '../testing/focusRing';
import { describeInBrowser } from '../testing/browser';
import { addClient } from '../testing/testApp';
import { expectNoPageProblems, focused, openRoute, signIn, useConsoleSuite } from './consoleSuite';

jest.setTimeout(60_000);

/** axe-core finds no WCAG 2.1 A or AA violation in the page as it stands. */
async function expectNoViolations(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await axeViolations(page)).toEqual([]);
}

/** Tabs through the page `presses` times (or until focus leaves it), measuring the ring of each control reached. */
async function ringsByTab(page: Page, presses: number): Promise<FocusRing[]> {
  // Tab starts again from the top of the page (the header first), as after a fresh load.
  await page.evaluate(() => {
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute('tabindex');
  });
  const rings: FocusRing[] = [];
  for (let press = 0; press < presses; press += 1) {
    await page.keyboard.press('Tab');
    if ((await focused(page)).tag === 'body') break;
    rings.push(await focusRing(page));
  }
  return rings;
}

const WHITE = 'rgb(255, 255, 255)';

describeInBrowser('The admin console against WCAG 2.1 A and AA (axe-core), page by page', () => {
  const suite = useConsoleSuite();

  it('finds a violation when there is one (the check itself)', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, '#/clients');
    await page.evaluate(() => document.querySelector('main')?.append(Object.assign(document.createElement('input'), { type: 'text' })));
    expect((await axeViolations(page)).map((violation) => violation.id)).toContain('label');
  });

  it('sign-in, empty and refused', async () => {
    const other = await suite.browser.context.newPage();
    try {
      await other.goto(`${suite.test.url}/`);
      await other.getByRole('heading', { name: 'Sign in' }).waitFor();
      await expectNoViolations(other);
      await other.getByLabel('Access token').fill('not-a-token');
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.getByRole('alert').waitFor();
      await expectNoViolations(other);
    } finally {
      await other.close();
    }
  });

  it('the client list', async () => {
    await addClient(suite.test, { name: 'Listed one' }, suite.admin);
    await addClient(suite.test, { name: 'Listed two', enabled: false }, suite.admin);
    const { page } = suite;
    await openRoute(page, suite.test.url, `#/clients`);
    await page.locator('table.clients tbody tr').nth(1).waitFor();
    await expectNoViolations(page);
  });

  it('Add Client: a refused entry, then Add with errors at several fields', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, `#/clients/new`);
    await page.getByRole('heading', { name: 'Add Client', level: 1 }).waitFor();
    await expectNoViolations(page);
    await page.getByLabel('Allowed CORS Origin(s)').fill('https://static.example.com/path');
    await page.getByRole('button', { name: 'Add CORS origin' }).click();
    await page.locator('[aria-invalid="true"]').first().waitFor();
    await expectNoViolations(page);
    await page.getByLabel('Token Lifetime').fill('30');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByLabel('Name').and(page.locator('[aria-invalid="true"]')).waitFor();
    await expectNoViolations(page);
  });

  it('Add Client: the created dialog open', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, `#/clients/new`);
    await page.getByLabel('Name').fill('Accessible app');
    await page.getByLabel('Allowed Redirect URL(s)').fill('https://a11y.example.com/cb');
    await page.getByRole('button', { name: 'Add redirect URL' }).click();
    await page.locator('.entries .value').getByText('https://a11y.example.com/cb').waitFor();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('dialog', { name: 'Client Successfully Created' }).waitFor();
    await expectNoViolations(page);
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    await expectNoViolations(page);
  });

  it('a client’s page, with its history, and its confirmations open', async () => {
    const client = await addClient(suite.test, { name: 'Detailed', tags: ['team:a11y'] }, suite.admin);
    const { page } = suite;
    await openRoute(page, suite.test.url, `#/clients/${client.id}`);
    await page.locator('table.history tbody tr').first().waitFor();
    await expectNoViolations(page);
    await page.getByRole('button', { name: 'Delete client' }).click();
    await page.getByRole('alertdialog', { name: 'Delete this client?' }).waitFor();
    await expectNoViolations(page);
    await page.keyboard.press('Escape');
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Disable client' }).click();
    await page.getByRole('alertdialog', { name: 'Disable this client?' }).waitFor();
    await expectNoViolations(page);
    await page.keyboard.press('Escape');
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
  });

  it('a client’s page as a Tenant Auditor sees it', async () => {
    const client = await addClient(suite.test, { name: 'Read only' }, suite.admin);
    const auditor = (await suite.test.caller(suite.tenantId, { roles: ['Tenant Auditor'], name: 'Aud Itor', subject: 'aud' })).token;
    const other = await suite.browser.context.newPage();
    try {
      await signIn(other, suite.test.url, auditor);
      await other.goto(`${suite.test.url}/#/clients/${client.id}`);
      await other.locator('table.history tbody tr').first().waitFor();
      await expectNoViolations(other);
    } finally {
      await other.close();
    }
  });

  it('the tenant’s history, filtered to nothing too', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, `#/history`);
    await page.locator('table.history tbody tr').first().waitFor();
    await expectNoViolations(page);
    await page.getByLabel('Action').selectOption('client.deleted');
    await page.getByLabel('Actor id').fill('nobody');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No change matches these filters.').waitFor();
    await expectNoViolations(page);
  });

  it('the list, Add Client and History at 375 px wide, where tables become cards', async () => {
    const { page } = suite;
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      await openRoute(page, suite.test.url, '#/clients');
      await page.locator('table.clients tbody tr').first().waitFor();
      await expectNoViolations(page);
      await openRoute(page, suite.test.url, '#/clients/new');
      await expectNoViolations(page);
      await openRoute(page, suite.test.url, '#/history');
      await page.locator('table.history tbody tr').first().waitFor();
      await expectNoViolations(page);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('the focus ring contrasts 3:1 or more with every surface it is drawn on (WCAG 1.4.11), white included', async () => {
    const client = await addClient(suite.test, { name: 'Ringed', tags: ['team:ring'] }, suite.admin);
    const { page } = suite;
    await openRoute(page, suite.test.url, '#/clients');
    await page.locator('table.clients tbody tr').first().waitFor();
    const rings = await ringsByTab(page, 40);
    await openRoute(page, suite.test.url, `#/clients/${client.id}`);
    await page.locator('table.history tbody tr').first().waitFor();
    rings.push(...(await ringsByTab(page, 40)));
    await page.getByRole('button', { name: 'Delete client' }).click();
    await page.getByRole('alertdialog').waitFor();
    rings.push(...(await ringsByTab(page, 3)));
    await page.keyboard.press('Escape');

    const weak = rings.flatMap((ring) =>
      ring.surfaces.filter((surface) => contrastRatio(ring.color, surface) < 3).map((surface) => `${ring.element}: ${ring.color} on ${surface}`),
    );
    expect(weak).toEqual([]);
    expect(rings.filter((ring) => ring.style === 'none' || ring.width < 2).map((ring) => ring.element)).toEqual([]);
    // The walk met the light surfaces and the blue header alike.
    const surfaces = new Set(rings.flatMap((ring) => ring.surfaces));
    for (const surface of [WHITE, 'rgb(245, 247, 250)', 'rgb(31, 75, 153)']) expect(surfaces).toContain(surface);
    for (const color of new Set(rings.filter((ring) => ring.surfaces.includes(WHITE)).map((ring) => ring.color))) {
      expect(contrastRatio(color, WHITE)).toBeGreaterThanOrEqual(3);
    }
    expect(rings.length).toBeGreaterThan(30);
  });

  it('loaded nothing from elsewhere and logged no error', () => expectNoPageProblems(suite));
});
