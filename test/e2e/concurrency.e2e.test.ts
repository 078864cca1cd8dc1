import { clientStreamId } from '../../src/domain/client';
import { type TestApp, addClient, startTestApp } from '../testing/testApp';

const ADD_URL = `mutation($input: AddRedirectUrlInput!) { addRedirectUrl(input: $input) { changed client { version } } }`;

describe('concurrent commands on one client', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.dispose());

  it('20 concurrent addRedirectUrl calls: all land up to the limit of 10, the rest are refused clearly, nothing lost or duplicated', async () => {
    const client = await addClient(test, { allowedRedirectUrls: ['https://app.example.com/cb/0'] });
    const urls = Array.from({ length: 20 }, (_, i) => `https://app.example.com/cb/${i + 1}`);
    const responses = await Promise.all(urls.map((url) => test.gql(ADD_URL, { input: { clientId: client.id, url } })));

    const accepted = urls.filter((_, i) => responses[i].data?.addRedirectUrl?.changed === true);
    const refused = responses.filter((response) => response.errors);
    expect(accepted).toHaveLength(9);
    expect(refused).toHaveLength(11);
    for (const response of refused) {
      expect(response.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        violations: [{ field: 'url', rule: 'tooMany', message: expect.stringContaining('10') }],
      });
    }

    const stored = await test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { allowedRedirectUrls version } }`, { id: client.id });
    const { allowedRedirectUrls, version } = stored.data.authorizationCodeClient;
    expect(new Set(allowedRedirectUrls)).toEqual(new Set(['https://app.example.com/cb/0', ...accepted]));
    expect(allowedRedirectUrls).toHaveLength(10);
    expect(version).toBe(10);

    const { events } = await test.app.store.readStream(clientStreamId(client.id));
    const added = events.filter((event) => event.type === 'RedirectUrlAdded').map((event) => event.data.url);
    expect(added.sort()).toEqual([...accepted].sort());
    // Read-your-writes: every answer already shows its own change (and possibly later ones).
    responses.forEach((response, i) => {
      if (response.data?.addRedirectUrl) expect(response.data.addRedirectUrl.client.version).toBeGreaterThanOrEqual(2);
      else expect(accepted).not.toContain(urls[i]);
    });
  });

  it('concurrent different commands on one client all land (retried on conflict), in some order', async () => {
    const client = await addClient(test);
    const mutations = [
      test.gql(`mutation($i: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $i) { changed } }`, {
        i: { clientId: client.id, name: 'Concurrent' },
      }),
      test.gql(`mutation($i: SetTokenLifetimeInput!) { setTokenLifetime(input: $i) { changed } }`, { i: { clientId: client.id, seconds: 600 } }),
      test.gql(`mutation($i: AddCorsOriginInput!) { addCorsOrigin(input: $i) { changed } }`, {
        i: { clientId: client.id, origin: 'https://x.example.com' },
      }),
      test.gql(`mutation($i: DisableAuthorizationCodeClientInput!) { disableAuthorizationCodeClient(input: $i) { changed } }`, {
        i: { clientId: client.id },
      }),
      test.gql(`mutation($i: AddLogoutRedirectUrlInput!) { addLogoutRedirectUrl(input: $i) { changed } }`, {
        i: { clientId: client.id, url: 'https://app.example.com/bye' },
      }),
    ];
    for (const response of await Promise.all(mutations)) expect(response.errors).toBeUndefined();
    const stored = await test.gql(
      `query($id: ID!) { authorizationCodeClient(id: $id) { name tokenLifetime allowedCorsOrigins enabled allowedLogoutRedirectUrls version } }`,
      { id: client.id },
    );
    expect(stored.data.authorizationCodeClient).toEqual({
      name: 'Concurrent',
      tokenLifetime: 600,
      allowedCorsOrigins: ['https://x.example.com'],
      enabled: false,
      allowedLogoutRedirectUrls: ['https://app.example.com/bye'],
      version: 6,
    });
  });
});
