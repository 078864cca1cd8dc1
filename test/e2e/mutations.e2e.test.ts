import { PAYLOAD_FIELDS, type TestApp, addClient, errorCode, startTestApp } from '../testing/testApp';

/** Runs mutation `name` with `input` and answers its payload, failing the test on errors. */
const mutate = async (test: TestApp, name: string, inputType: string, input: Record<string, unknown>) => {
  const response = await test.gql(`mutation($input: ${inputType}!) { ${name}(input: $input) { ${PAYLOAD_FIELDS} } }`, { input });
  if (response.errors) throw new Error(`${name}: ${JSON.stringify(response.errors)}`);
  return response.data[name];
};

const history = async (test: TestApp, clientId: string) =>
  (
    await test.gql(`query($id: ID!) { auditTrail(filter: { clientId: $id }) { nodes { action reason changes { field before after } } } }`, {
      id: clientId,
    })
  ).data.auditTrail.nodes;

describe('every mutation of the contract, end to end', () => {
  let test: TestApp;
  let clientId: string;
  beforeAll(async () => {
    test = await startTestApp();
    clientId = (await addClient(test, { name: 'Mutations', tags: ['web'] })).id;
  });
  afterAll(() => test.dispose());

  it.each([
    ['renameAuthorizationCodeClient', 'RenameAuthorizationCodeClientInput', { name: 'Renamed' }, { name: 'Renamed' }, 'client.renamed'],
    ['setTokenLifetime', 'SetTokenLifetimeInput', { seconds: 60 }, { tokenLifetime: 60 }, 'client.token_lifetime.changed'],
    [
      'addRedirectUrl',
      'AddRedirectUrlInput',
      { url: 'https://app.example.com/second' },
      { allowedRedirectUrls: ['https://app.example.com/callback', 'https://app.example.com/second'] },
      'client.redirect_url.added',
    ],
    [
      'removeRedirectUrl',
      'RemoveRedirectUrlInput',
      { url: 'https://app.example.com/callback' },
      { allowedRedirectUrls: ['https://app.example.com/second'] },
      'client.redirect_url.removed',
    ],
    [
      'addLogoutRedirectUrl',
      'AddLogoutRedirectUrlInput',
      { url: 'https://app.example.com/bye' },
      { allowedLogoutRedirectUrls: ['https://app.example.com/bye'] },
      'client.logout_redirect_url.added',
    ],
    [
      'removeLogoutRedirectUrl',
      'RemoveLogoutRedirectUrlInput',
      { url: 'https://app.example.com/bye' },
      { allowedLogoutRedirectUrls: [] },
      'client.logout_redirect_url.removed',
    ],
    ['addCorsOrigin', 'AddCorsOriginInput', { origin: 'https://SPA.example.com:443' }, { allowedCorsOrigins: ['https://spa.example.com'] }, 'client.cors_origin.added'],
    ['removeCorsOrigin', 'RemoveCorsOriginInput', { origin: 'https://spa.example.com/' }, { allowedCorsOrigins: [] }, 'client.cors_origin.removed'],
    ['disableAuthorizationCodeClient', 'DisableAuthorizationCodeClientInput', {}, { enabled: false }, 'client.disabled'],
    ['enableAuthorizationCodeClient', 'EnableAuthorizationCodeClientInput', {}, { enabled: true }, 'client.enabled'],
  ])('%s changes the client once, records why, and is idempotent', async (name, inputType, values, expected, action) => {
    const before = (await test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { version } }`, { id: clientId })).data
      .authorizationCodeClient.version as number;
    const reason = `testing ${name}`;
    const first = await mutate(test, name, inputType, { clientId, ...values, reason, expectedVersion: before });
    expect(first.changed).toBe(true);
    expect(first.client).toMatchObject(expected);
    expect(first.client.version).toBe(before + 1);
    const [latest] = await history(test, clientId);
    expect(latest).toMatchObject({ action, reason });
    expect(latest.changes.length).toBeGreaterThan(0);

    const again = await mutate(test, name, inputType, { clientId, ...values });
    expect(again.changed).toBe(false);
    expect(again.client.version).toBe(before + 1);
    expect((await history(test, clientId)).length).toBe(before + 1);
  });

  it('updateAuthorizationCodeClient changes any subset, recording one event per fact', async () => {
    const current = await test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { version tags } }`, { id: clientId });
    const version = current.data.authorizationCodeClient.version as number;
    const updated = await mutate(test, 'updateAuthorizationCodeClient', 'UpdateAuthorizationCodeClientInput', {
      clientId,
      expectedVersion: version,
      name: 'Updated',
      tokenLifetime: 1800,
      clientUri: 'https://app.example.com',
      logoUri: 'https://cdn.example.com/logo.png',
      tags: ['web', 'prod'],
      allowedCorsOrigins: ['https://a.example.com', 'https://b.example.com'],
    });
    expect(updated.changed).toBe(true);
    expect(updated.client).toMatchObject({
      name: 'Updated',
      tokenLifetime: 1800,
      clientUri: 'https://app.example.com',
      logoUri: 'https://cdn.example.com/logo.png',
      tags: ['web', 'prod'],
      allowedCorsOrigins: ['https://a.example.com', 'https://b.example.com'],
      allowedRedirectUrls: ['https://app.example.com/second'],
    });
    expect(updated.client.version).toBe(version + 7);
    const actions = (await history(test, clientId)).slice(0, 7).map((entry: { action: string }) => entry.action);
    expect(actions.sort()).toEqual(
      [
        'client.renamed',
        'client.token_lifetime.changed',
        'client.client_uri.changed',
        'client.logo_uri.changed',
        'client.tag.added',
        'client.cors_origin.added',
        'client.cors_origin.added',
      ].sort(),
    );

    const cleared = await mutate(test, 'updateAuthorizationCodeClient', 'UpdateAuthorizationCodeClientInput', { clientId, logoUri: null });
    expect(cleared.client.logoUri).toBeNull();
    expect(cleared.client.clientUri).toBe('https://app.example.com');

    const nothing = await mutate(test, 'updateAuthorizationCodeClient', 'UpdateAuthorizationCodeClientInput', { clientId, name: 'Updated' });
    expect(nothing.changed).toBe(false);
  });

  it('deleteAuthorizationCodeClient removes the client from queries, keeps its history, and refuses further commands', async () => {
    const deleted = await mutate(test, 'deleteAuthorizationCodeClient', 'DeleteAuthorizationCodeClientInput', {
      clientId,
      reason: 'retired',
    });
    expect(deleted).toMatchObject({ changed: true, client: null });
    const one = await test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { id } }`, { id: clientId });
    expect(one.data.authorizationCodeClient).toBeNull();
    const list = await test.gql(`{ authorizationCodeClients { totalCount } }`);
    expect(list.data.authorizationCodeClients.totalCount).toBe(0);
    const [latest] = await history(test, clientId);
    expect(latest).toMatchObject({ action: 'client.deleted', reason: 'retired' });

    const again = await test.gql(`mutation($input: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $input) { changed } }`, {
      input: { clientId, name: 'Back' },
    });
    expect(errorCode(again)).toBe('NOT_FOUND');
    const reuse = await test.gql(
      `mutation($input: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $input) { changed } }`,
      { input: { id: clientId, name: 'Reuse', allowedRedirectUrls: ['https://app.example.com/cb'] } },
    );
    expect(errorCode(reuse)).toBe('CONFLICT');
  });
});
