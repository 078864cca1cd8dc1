import { randomUUID } from 'node:crypto';
import { CLIENT_FIELDS, type TestApp, startTestApp } from '../testing/testApp';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the administrator adds an authorization code client (DESIGN §1)', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.dispose());

  it('answers a new GUID Client Id, and the client is in the list', async () => {
    const added = await test.gql(
      `mutation Add($input: AddAuthorizationCodeClientInput!) {
        addAuthorizationCodeClient(input: $input) { changed operationId position client { ${CLIENT_FIELDS} } }
      }`,
      {
        input: {
          name: '  Customer Portal  ',
          allowedRedirectUrls: ['https://portal.example.com/signin-callback', 'http://localhost:3000/callback'],
          allowedLogoutRedirectUrls: ['https://portal.example.com/signed-out'],
          allowedCorsOrigins: ['https://API.example.com:443/'],
          tokenLifetime: 900,
          reason: 'Onboarding the customer portal',
        },
      },
    );
    expect(added.errors).toBeUndefined();
    const payload = added.data.addAuthorizationCodeClient;
    expect(payload.changed).toBe(true);
    expect(payload.operationId).toMatch(GUID);
    expect(payload.position).toEqual(expect.any(String));
    const client = payload.client;
    expect(client.id).toMatch(GUID);
    expect(client).toMatchObject({
      name: 'Customer Portal',
      enabled: true,
      tokenLifetime: 900,
      allowedRedirectUrls: ['https://portal.example.com/signin-callback', 'http://localhost:3000/callback'],
      allowedLogoutRedirectUrls: ['https://portal.example.com/signed-out'],
      allowedCorsOrigins: ['https://api.example.com'],
      clientUri: null,
      logoUri: null,
      tags: [],
      version: 1,
      createdBy: { id: 'user-of-tenant-a', name: 'User of tenant-a' },
    });
    expect(new Date(client.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const list = await test.gql(`{ authorizationCodeClients { totalCount nodes { id name tokenLifetime } } }`);
    expect(list.data.authorizationCodeClients.totalCount).toBe(1);
    expect(list.data.authorizationCodeClients.nodes).toEqual([{ id: client.id, name: 'Customer Portal', tokenLifetime: 900 }]);

    const one = await test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { id history { nodes { action reason operationId } } } }`, {
      id: client.id.toUpperCase(),
    });
    expect(one.data.authorizationCodeClient.id).toBe(client.id);
    expect(one.data.authorizationCodeClient.history.nodes).toEqual([
      { action: 'client.created', reason: 'Onboarding the customer portal', operationId: payload.operationId },
    ]);
  });

  it('defaults the token lifetime to 3600 seconds and keeps a supplied id', async () => {
    // Fresh each run: ids are unique forever, and `npm run test:esdb` may reuse a server.
    const id = randomUUID().toUpperCase();
    const added = await test.gql(
      `mutation($input: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $input) { client { id tokenLifetime } } }`,
      { input: { id, name: 'Native app', allowedRedirectUrls: ['com.example.app:/callback'] } },
    );
    expect(added.data.addAuthorizationCodeClient.client).toEqual({ id: id.toLowerCase(), tokenLifetime: 3600 });
  });
});
