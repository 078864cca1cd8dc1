import { ROLES } from '../../src/auth';
import { clientStreamId } from '../../src/domain/client';
import { type GqlResponse, type TestApp, addClient, errorCode, startTestApp } from '../testing/testApp';

const RENAME = `mutation($input: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $input) { changed client { version } } }`;
const ADD = `mutation($input: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $input) { client { id } } }`;

const expectOperationIds = (response: GqlResponse) => {
  expect(response.errors?.length).toBeGreaterThan(0);
  for (const error of response.errors ?? []) expect(error.extensions.operationId).toMatch(/^[0-9a-f-]{36}$/);
  expect(response.headers.get('x-operation-id')).toBe(response.errors?.[0].extensions.operationId);
};

describe('errors: every code, with an operation id, and nothing appended', () => {
  let test: TestApp;
  let clientId: string;
  const eventCount = async () => (await test.app.store.readStream(clientStreamId(clientId))).events.length;

  beforeAll(async () => {
    test = await startTestApp({ env: { MAX_BODY_BYTES: '4096' } });
    clientId = (await addClient(test)).id;
  });
  afterAll(() => test.dispose());

  it('UNAUTHENTICATED without a token or with a bad one (HTTP 401)', async () => {
    for (const token of [null, 'not-a-jwt', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwidGlkIjoieCJ9.']) {
      const response = await test.gql('{ me { id } }', {}, { token });
      expect(response.status).toBe(401);
      expect(errorCode(response)).toBe('UNAUTHENTICATED');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expectOperationIds(response);
    }
  });

  it('FORBIDDEN for an auditor mutating and for a caller with no known role', async () => {
    const auditor = await test.caller('tenant-a', { roles: [ROLES.auditor] });
    const mutation = await test.gql(RENAME, { input: { clientId, name: 'Nope' } }, { token: auditor.token });
    expect(errorCode(mutation)).toBe('FORBIDDEN');
    expect(mutation.errors![0].message).toMatch(/Tenant Administrator/);
    expectOperationIds(mutation);
    const nobody = await test.caller('tenant-a', { roles: ['Help Desk'] });
    const query = await test.gql('{ authorizationCodeClients { totalCount } }', {}, { token: nobody.token });
    expect(errorCode(query)).toBe('FORBIDDEN');
    expect(await eventCount()).toBe(1);
  });

  it('BAD_USER_INPUT lists every violation with field, rule, message and index', async () => {
    const response = await test.gql(ADD, {
      input: {
        id: 'not-a-uuid',
        name: '',
        allowedRedirectUrls: ['https://ok.example.com/cb', 'http://example.com/cb', 'https://app.example.com/cb#frag'],
        allowedCorsOrigins: ['https://example.com/path'],
        tokenLifetime: 59,
        tags: ['bad tag!'],
        reason: ' ',
      },
    });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expectOperationIds(response);
    const violations = response.errors![0].extensions.violations as { field: string; rule: string; index?: number; message: string }[];
    const summary = violations.map(({ field, rule, index }) => ({ field, rule, ...(index === undefined ? {} : { index }) }));
    expect(summary).toEqual(
      expect.arrayContaining([
        { field: 'id', rule: 'uuid' },
        { field: 'name', rule: 'name' },
        { field: 'allowedRedirectUrls', rule: 'redirectUrl', index: 1 },
        { field: 'allowedRedirectUrls', rule: 'redirectUrl', index: 2 },
        { field: 'allowedCorsOrigins', rule: 'corsOrigin', index: 0 },
        { field: 'tokenLifetime', rule: 'tokenLifetime' },
        { field: 'tags', rule: 'tag', index: 0 },
        { field: 'reason', rule: 'reason' },
      ]),
    );
    expect(violations).toHaveLength(8);
    for (const violation of violations) expect(violation.message.length).toBeGreaterThan(10);
    const list = await test.gql('{ authorizationCodeClients { totalCount } }');
    expect(list.data.authorizationCodeClients.totalCount).toBe(1);
  });

  it('BAD_USER_INPUT for requests that are not valid GraphQL, with violations too', async () => {
    for (const [query, variables] of [
      ['{ authorizationCodeClients { nope } }', {}],
      ['{ authorizationCodeClients { ', {}],
      [RENAME, { input: { clientId, name: 5 } }],
      ['{ authorizationCodeClients(after: "garbage") { totalCount } }', {}],
    ] as const) {
      const response = await test.gql(query, variables);
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0].extensions.violations).toEqual([
        expect.objectContaining({ field: expect.any(String), rule: expect.any(String), message: expect.any(String) }),
      ]);
      expectOperationIds(response);
    }
    expect(await eventCount()).toBe(1);
  });

  it('NOT_FOUND for a client that does not exist', async () => {
    const response = await test.gql(RENAME, { input: { clientId: '2f1e0c1a-3b4d-4c5e-8f60-718293a4b5c6', name: 'Ghost' } });
    expect(errorCode(response)).toBe('NOT_FOUND');
    expectOperationIds(response);
  });

  it('CONFLICT with currentVersion for a stale expectedVersion, and for an id already taken', async () => {
    const stale = await test.gql(RENAME, { input: { clientId, name: 'Stale', expectedVersion: 7 } });
    expect(errorCode(stale)).toBe('CONFLICT');
    expect(stale.errors![0].extensions.currentVersion).toBe(1);
    expectOperationIds(stale);
    const taken = await test.gql(ADD, { input: { id: clientId, name: 'Twin', allowedRedirectUrls: ['https://twin.example.com/cb'] } });
    expect(errorCode(taken)).toBe('CONFLICT');
    expect(await eventCount()).toBe(1);
  });

  it('LIMIT_EXCEEDED for page size, query cost and body size', async () => {
    const page = await test.gql('{ authorizationCodeClients(first: 101) { totalCount } }');
    expect(errorCode(page)).toBe('LIMIT_EXCEEDED');
    expect(page.errors![0].extensions).toMatchObject({ limit: 'pageSize', max: 100 });
    expectOperationIds(page);
    const fullPage = await test.gql('{ authorizationCodeClients(first: 100) { totalCount } }');
    expect(fullPage.errors).toBeUndefined();

    const defaultSizes = await test.gql(
      '{ authorizationCodeClients { edges { node { history { edges { node { actor { id } changes { field } } } } } } } }',
    );
    expect(defaultSizes.errors).toBeUndefined();
    const costly = await test.gql(
      '{ authorizationCodeClients(first: 100) { nodes { history(first: 100) { nodes { id actor { id name } changes { field } } } } } }',
    );
    expect(errorCode(costly)).toBe('LIMIT_EXCEEDED');
    expect(costly.errors![0].extensions).toMatchObject({ limit: 'cost', max: 50000 });
    expectOperationIds(costly);

    const big = await test.gql('{ me { id } }', { padding: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    expect(errorCode(big)).toBe('LIMIT_EXCEEDED');
    expect(big.errors![0].extensions).toMatchObject({ limit: 'bodySize', max: 4096 });
    expectOperationIds(big);
  });

  it('LIMIT_EXCEEDED for a query nested deeper than allowed, fragments included', async () => {
    const limited = await startTestApp({ env: { MAX_QUERY_DEPTH: '4' } });
    try {
      const refused = await limited.gql('{ authorizationCodeClients { edges { node { createdBy { id } } } } }');
      expect(errorCode(refused)).toBe('LIMIT_EXCEEDED');
      expect(refused.errors![0].extensions).toMatchObject({ limit: 'depth', max: 4, actual: 5 });
      expectOperationIds(refused);
      const viaFragment = await limited.gql(
        '{ authorizationCodeClients { ...Page } } fragment Page on AuthorizationCodeClientConnection { edges { node { createdBy { id } } } }',
      );
      expect(errorCode(viaFragment)).toBe('LIMIT_EXCEEDED');
      const fine = await limited.gql('{ authorizationCodeClients { nodes { createdBy { id } } } }');
      expect(fine.errors).toBeUndefined();
      const introspection = await limited.gql('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }');
      expect(introspection.errors).toBeUndefined();
    } finally {
      await limited.dispose();
    }
  });
});
