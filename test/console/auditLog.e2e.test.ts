import Database from 'better-sqlite3';
import { type JSONWebKeySet, compactVerify, createLocalJWKSet } from 'jose';
import { type Page } from 'playwright-core';
import { dataFiles } from '../../src/app';
import { ROLES } from '../../src/auth/roles';
import { axeViolations } from '../testing/axe';
import { describeInBrowser } from '../testing/browser';
import { CLIENT_FIELDS, addClient } from '../testing/testApp';
import { expectNoPageProblems, focused, openRoute, screenshot, signIn, until, useConsoleSuite } from './consoleSuite';

jest.setTimeout(60_000);

const HEAD = '{ auditLogHead { tenantId treeSize rootHash timestamp signature } }';

/** axe-core finds no WCAG 2.1 A or AA violation in the page as it stands. */
async function expectNoViolations(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await axeViolations(page)).toEqual([]);
}

/** The rows of the "Compared with now" table as [setting, at that version, now]. */
const comparison = (page: Page): Promise<string[][]> =>
  page.locator('.compare tbody tr').evaluateAll((rows) => rows.map((row) => Array.from(row.children).map((cell) => cell.textContent ?? '')));

/** The "View as it was" link of the History row whose action is `action` for client `name`. */
const asItWas = (page: Page, name: string, action: string) =>
  page
    .locator('table.history tbody tr')
    .filter({ has: page.locator('td[data-label="What"]', { hasText: action }) })
    .getByRole('link', { name: new RegExp(`^View as it was at version \\d+ of ${name}$`) });

describeInBrowser('The History page: the signed log head, the integrity badge, "view as it was" and revert', () => {
  const suite = useConsoleSuite({ tenantId: 'tenant-time-travel' });
  let alpha: string;
  let beta: string;
  let gamma: string;

  const run = async (mutation: string, type: string, input: Record<string, unknown>) => {
    const response = await suite.test.gql(`mutation($input: ${type}!) { ${mutation}(input: $input) { changed } }`, { input }, { token: suite.admin });
    if (response.errors) throw new Error(JSON.stringify(response.errors));
  };
  const client = async (id: string) => (await suite.test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { ${CLIENT_FIELDS} } }`, { id }, { token: suite.admin })).data.authorizationCodeClient;

  beforeAll(async () => {
    // Alpha: created (1), renamed (2), token lifetime (3), a second redirect URL (4).
    alpha = (await addClient(suite.test, { name: 'Alpha', allowedRedirectUrls: ['https://alpha.example.com/cb'] }, suite.admin)).id;
    await run('renameAuthorizationCodeClient', 'RenameAuthorizationCodeClientInput', { clientId: alpha, name: 'Alpha 2', reason: 'rebrand' });
    await run('setTokenLifetime', 'SetTokenLifetimeInput', { clientId: alpha, seconds: 900 });
    await run('addRedirectUrl', 'AddRedirectUrlInput', { clientId: alpha, url: 'https://alpha.example.com/cb2' });
    // Beta: its redirect URL replaced in one update, recorded as the removal (2), then the addition (3).
    beta = (await addClient(suite.test, { name: 'Beta', allowedRedirectUrls: ['https://beta.example.com/one'] }, suite.admin)).id;
    await run('updateAuthorizationCodeClient', 'UpdateAuthorizationCodeClientInput', { clientId: beta, allowedRedirectUrls: ['https://beta.example.com/two'] });
    // Gamma: created, then deleted.
    gamma = (await addClient(suite.test, { name: 'Gamma' }, suite.admin)).id;
    await run('deleteAuthorizationCodeClient', 'DeleteAuthorizationCodeClientInput', { clientId: gamma, reason: 'retired' });
  });

  it('shows the signed log head, copies it as `audit verify --head` takes it, and checks integrity on opening', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, '#/history');
    const card = page.locator('section.audit-log');
    await card.getByText('Integrity verified').waitFor();
    const head = (await suite.test.gql(HEAD, {}, { token: suite.admin })).data.auditLogHead as { tenantId: string; treeSize: number; rootHash: string; timestamp: string; signature: string };
    expect(head.treeSize).toBe(9);
    expect(await card.locator('dt:has-text("Entries") + dd').innerText()).toBe('9');
    expect(await card.locator('code.hash').innerText()).toBe(head.rootHash);
    expect(await card.locator('time').last().getAttribute('datetime')).toBe(new Date(head.timestamp).toISOString());
    expect(await card.getByRole('status').filter({ hasText: 'Integrity' }).innerText()).toMatch(/^Integrity verified The 9 entries recomputed from the events match the read model and extend the last signed head \(9 entries\); checked /);

    await card.getByRole('button', { name: 'Copy signed head' }).click();
    await card.getByText('Copied').waitFor();
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as typeof head;
    expect(copied).toEqual(head);
    // The copy is a head a reviewer can check with the published key, without the console.
    const keys = (await (await fetch(`${suite.test.url}/.well-known/audit-log-jwks.json`)).json()) as JSONWebKeySet;
    const { payload } = await compactVerify(copied.signature, createLocalJWKSet(keys));
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ rootHash: head.rootHash, tenantId: 'tenant-time-travel', timestamp: head.timestamp, treeSize: 9 });
    expect(await card.getByRole('link', { name: '/.well-known/audit-log-jwks.json' }).getAttribute('href')).toBe('/.well-known/audit-log-jwks.json');
    await screenshot(page, 'console-audit-log.png', { fullPage: false });
    await expectNoViolations(page);
  });

  it('checks a log above 5,000 entries only when asked (the check replays every event)', async () => {
    const { page } = suite;
    const checks: string[] = [];
    page.on('request', (request) => {
      if ((request.postData() ?? '').includes('auditLogIntegrity')) checks.push(request.url());
    });
    // The head is answered as if the log were one entry above the bound.
    await page.route('**/graphql', async (route) => {
      if (!(route.request().postData() ?? '').includes('ConsoleAuditLogHead')) return route.fallback();
      const response = await route.fetch();
      const body = (await response.json()) as { data: { auditLogHead: { treeSize: number } } };
      body.data.auditLogHead.treeSize = 5_001;
      return route.fulfill({ response, json: body });
    });
    try {
      await openRoute(page, suite.test.url, '#/history');
      const card = page.locator('section.audit-log');
      await card.getByText('Integrity not checked').waitFor();
      expect(await card.getByRole('status').filter({ hasText: 'Integrity' }).innerText()).toBe('Integrity not checked The check replays all 5001 entries’ events: run it when you need it.');
      await page.waitForLoadState('networkidle');
      expect(checks).toEqual([]);
      await card.getByRole('button', { name: 'Check integrity' }).click();
      await card.getByText('Integrity verified').waitFor();
      expect(checks).toHaveLength(1);
      expect(await card.getByRole('button', { name: 'Check integrity again' }).count()).toBe(1);
    } finally {
      await page.unroute('**/graphql');
    }
  });

  it('opens each entry as it was: the settings then, and what differs from now', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, '#/history');
    await asItWas(page, 'Alpha 2', 'client.renamed').click();
    await page.getByRole('heading', { level: 1, name: 'Alpha 2 as it was at version 2' }).waitFor();
    expect(page.url()).toBe(`${suite.test.url}/#/clients/${alpha}/versions/2`);
    const facts = await page.locator('dl.facts').innerText();
    expect(facts).toContain('Token Lifetime\n3600 seconds');
    expect(facts).toContain('Allowed Redirect URL(s)\nhttps://alpha.example.com/cb\n');
    expect(await page.getByText('Today it is at version 4.').count()).toBe(1);
    expect(await comparison(page)).toEqual([
      ['Token Lifetime', '3600 seconds', '900 seconds'],
      ['Allowed Redirect URL(s)', 'https://alpha.example.com/cb', 'https://alpha.example.com/cb, https://alpha.example.com/cb2'],
    ]);
    await screenshot(page, 'console-as-it-was.png');
    await expectNoViolations(page);

    // The client's own history on its page has the same links.
    await openRoute(page, suite.test.url, `#/clients/${alpha}`);
    await asItWas(page, 'Alpha', 'client.created').click();
    await page.getByRole('heading', { level: 1, name: 'Alpha as it was at version 1' }).waitFor();
    expect((await comparison(page)).map((row) => row[0])).toEqual(['Name', 'Token Lifetime', 'Allowed Redirect URL(s)']);

    await openRoute(page, suite.test.url, `#/clients/${alpha}/versions/4`);
    await page.getByText('This is the client’s current version.').waitFor();
    expect(await page.getByRole('button', { name: /^Revert/ }).count()).toBe(0);

    await openRoute(page, suite.test.url, `#/clients/${alpha}/versions/9`);
    await page.getByRole('heading', { level: 1, name: 'No such version' }).waitFor();
  });

  it('shows a version and the Audit log card at 375 px wide, without sideways scrolling', async () => {
    const { page } = suite;
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      for (const route of [`#/clients/${alpha}/versions/1`, '#/history']) {
        await openRoute(page, suite.test.url, route);
        await page.locator('.compare tbody tr, section.audit-log .badge.on').first().waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
        await expectNoViolations(page);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('opens a deleted client as it was before the deletion, and offers no revert', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, '#/history');
    await asItWas(page, 'Gamma', 'client.deleted').click();
    await page.getByRole('heading', { level: 1, name: 'Gamma as it was at version 1' }).waitFor();
    expect(page.url()).toBe(`${suite.test.url}/#/clients/${gamma}/versions/1`);
    await page.getByText('The client has since been deleted: it cannot be reverted.').waitFor();
    expect(await page.getByRole('heading', { name: 'Compared with now' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Revert/ }).count()).toBe(0);
    await expectNoViolations(page);
  });

  it('reverts from the history: a confirmation that opens on Cancel, a reason, and the ordinary changes recorded', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, '#/history');
    await asItWas(page, 'Alpha', 'client.created').click();
    await page.getByRole('heading', { level: 1, name: 'Alpha as it was at version 1' }).waitFor();

    // Escape closes the confirmation and gives focus back to the button that opened it.
    await page.getByRole('button', { name: 'Revert to version 1' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('alertdialog', { name: 'Revert to version 1?' }).waitFor();
    expect(await focused(page)).toMatchObject({ tag: 'button', name: 'Cancel', inDialog: true });
    await page.keyboard.press('Escape');
    await until('the dialog closed', async () => (await page.getByRole('alertdialog').count()) === 0);
    expect(await focused(page)).toMatchObject({ tag: 'button', name: 'Revert to version 1', inDialog: false });

    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog', { name: 'Revert to version 1?' });
    expect(await dialog.innerText()).toContain('back its settings of version 1: Name, Token Lifetime, Allowed Redirect URL(s).');
    await expectNoViolations(page);
    await dialog.getByLabel('Reason (optional)').fill('undo the rebrand');
    await dialog.getByRole('button', { name: 'Revert client' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Reverted:' });
    await notice.waitFor();
    expect(await notice.innerText()).toBe('Reverted: Alpha is now at version 7, with the settings of version 1. The history shows each change the revert made.');
    expect(await focused(page)).toMatchObject({ tag: 'p', inDialog: false });
    await page.getByText('Every setting is as it is now (version 7): reverting would change nothing.').waitFor();
    expect(await page.getByRole('button', { name: /^Revert/ }).count()).toBe(0);

    expect(await client(alpha)).toMatchObject({ name: 'Alpha', tokenLifetime: 3600, allowedRedirectUrls: ['https://alpha.example.com/cb'], version: 7 });
    const trail = (await suite.test.gql('query($id: ID!) { auditTrail(filter: { clientId: $id }, first: 3) { nodes { action reason version } } }', { id: alpha }, { token: suite.admin })).data.auditTrail.nodes;
    expect(trail).toEqual([
      { action: 'client.redirect_url.removed', reason: 'undo the rebrand', version: 7 },
      { action: 'client.token_lifetime.changed', reason: 'undo the rebrand', version: 6 },
      { action: 'client.renamed', reason: 'undo the rebrand', version: 5 },
    ]);
  });

  it('shows a revert that today’s rules refuse in the dialog, naming the setting and the rule, and changes nothing', async () => {
    const { page } = suite;
    // Beta's version 2 is the moment between the removal and the addition: no redirect URL.
    await openRoute(page, suite.test.url, `#/clients/${beta}/versions/2`);
    expect(await comparison(page)).toEqual([['Allowed Redirect URL(s)', '(none)', 'https://beta.example.com/two']]);
    await page.getByRole('button', { name: 'Revert to version 2' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Revert to version 2?' });
    await dialog.getByRole('button', { name: 'Revert client' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.innerText()).toBe('Not reverted. Allowed Redirect URL(s): A client needs at least one allowed redirect URL.');
    await expectNoViolations(page);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await client(beta)).version).toBe(3);
  });

  it('refuses a revert when someone changed the client since the page opened, and shows it as it is now after Cancel', async () => {
    const { page } = suite;
    await openRoute(page, suite.test.url, `#/clients/${beta}/versions/1`);
    await page.getByRole('heading', { level: 1, name: 'Beta as it was at version 1' }).waitFor();
    await run('renameAuthorizationCodeClient', 'RenameAuthorizationCodeClientInput', { clientId: beta, name: 'Beta 2' });
    await page.getByRole('button', { name: 'Revert to version 1' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Revert to version 1?' });
    await dialog.getByRole('button', { name: 'Revert client' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').innerText()).toBe(
      'Not reverted: someone else changed this client since this page opened (it is now at version 4). Cancel to see it as it is now.',
    );
    expect((await client(beta)).name).toBe('Beta 2');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Today it is at version 4.').waitFor();
    expect((await comparison(page)).map((row) => row[0])).toEqual(['Name', 'Allowed Redirect URL(s)']);
  });

  it('shows an auditor every version, with no revert', async () => {
    const auditor = (await suite.test.caller(suite.tenantId, { roles: [ROLES.auditor], subject: 'rita', name: 'Rita Reviewer' })).token;
    const other = await suite.browser.context.newPage();
    try {
      await signIn(other, suite.test.url, auditor);
      await openRoute(other, suite.test.url, `#/clients/${beta}/versions/1`);
      await other.getByRole('heading', { name: 'Compared with now' }).waitFor();
      expect(await comparison(other)).not.toEqual([]);
      expect(await other.getByRole('button', { name: /^Revert/ }).count()).toBe(0);
      await openRoute(other, suite.test.url, '#/history');
      await other.locator('section.audit-log').getByText('Integrity verified').waitFor();
    } finally {
      await other.close();
    }
  });

  it('shows an integrity problem when an operator edits an entry in the read model', async () => {
    const { page, test } = suite;
    await test.stop();
    const db = new Database(dataFiles(test.dataDir).readModel);
    try {
      const edited = db.prepare("UPDATE audit_entries SET reason = 'routine' WHERE tenant_id = ? AND leaf_index = 2").run(suite.tenantId);
      expect(edited.changes).toBe(1);
    } finally {
      db.close();
    }
    await test.restart();
    await signIn(page, test.url, suite.admin);
    await openRoute(page, test.url, '#/history');
    const card = page.locator('section.audit-log');
    await card.getByText('Integrity problem').waitFor();
    const problems = await card.locator('li').allInnerTexts();
    expect(problems[0]).toMatch(/^leaf 2 \(event [0-9a-f-]+\) of the read model /);
    await expectNoViolations(page);
  });

  it('loaded nothing from elsewhere and logged no error', () => expectNoPageProblems(suite));
});
