import { describeInBrowser } from '../testing/browser';
import { expectNoPageProblems, openRoute, useConsoleSuite } from './consoleSuite';

jest.setTimeout(60_000);

/** A client registered with the standard protocol (RFC 7591), then changed through its registration token (RFC 7592). */
describeInBrowser('The console shows clients registered with the standard protocol like any other', () => {
  const suite = useConsoleSuite({ tenantId: 'tenant-registered' });
  let registered: { client_id: string; registration_client_uri: string; registration_access_token: string };

  beforeAll(async () => {
    const post = await fetch(`${suite.test.url}/register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${suite.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Agent registered by RFC 7591', redirect_uris: ['HTTP://LOCALHOST:8765/callback'] }),
    });
    expect(post.status).toBe(201);
    registered = (await post.json()) as typeof registered;
    const put = await fetch(registered.registration_client_uri, {
      method: 'PUT',
      headers: { authorization: `Bearer ${registered.registration_access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: registered.client_id, client_name: 'Agent, renamed by its token', redirect_uris: ['http://localhost:8765/callback'] }),
    });
    expect(put.status).toBe(200);
  });

  it('lists it, and its page shows what was stored and who changed it', async () => {
    await openRoute(suite.page, suite.test.url, '#/');
    const row = suite.page.getByRole('row').filter({ hasText: 'Agent, renamed by its token' });
    await row.waitFor();
    expect(await row.innerText()).toContain(registered.client_id);

    await openRoute(suite.page, suite.test.url, `#/clients/${registered.client_id}`);
    await suite.page.getByRole('heading', { name: 'Agent, renamed by its token', level: 1 }).waitFor();
    const page = await suite.page.locator('main').innerText();
    // The normal form was stored and is shown; the rename is the registration token's, the creation the administrator's.
    expect(page).toContain('http://localhost:8765/callback');
    expect(page).not.toContain('HTTP://LOCALHOST');
    expect(page).toContain('Registration access token');
    expect(page).toContain('Ada Admin');
    expectNoPageProblems(suite);
  });
});
