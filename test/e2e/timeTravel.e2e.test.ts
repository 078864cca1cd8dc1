import { ROLES } from '../../src/auth';
import { CLIENT_FIELDS, type GqlResponse, type TestApp, addClient, errorCode, startTestApp } from '../testing/testApp';

const AS_IT_WAS = `query($id: ID!, $asOf: DateTime, $version: Int) {
  authorizationCodeClient(id: $id, asOf: $asOf, version: $version) { ${CLIENT_FIELDS} history { nodes { action } } }
}`;

/** The clock the service stamps events with: each change happens a minute after the one before. */
let clock = new Date('2026-03-01T10:00:00.000Z');
const minuteLater = () => {
  clock = new Date(clock.getTime() + 60_000);
  return clock.toISOString();
};

const violationsOf = (response: GqlResponse) =>
  (response.errors?.[0]?.extensions.violations as { field: string; rule: string }[] | undefined)?.map(({ field, rule }) => ({ field, rule }));

describe('a client as it was: authorizationCodeClient(id, asOf | version)', () => {
  let test: TestApp;
  let clientId: string;
  /** When each version came to be: times[v] is when the v-th event occurred. */
  const times: string[] = [];
  const mutate = async (name: string, inputType: string, input: Record<string, unknown>) => {
    times.push(minuteLater());
    const response = await test.gql(`mutation($input: ${inputType}!) { ${name}(input: $input) { changed } }`, { input });
    if (response.errors) throw new Error(JSON.stringify(response.errors));
  };
  const asItWas = (variables: Record<string, unknown>, token?: string) => test.gql(AS_IT_WAS, { id: clientId, ...variables }, { token });
  const client = async (variables: Record<string, unknown>) => {
    const response = await asItWas(variables);
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data.authorizationCodeClient;
  };

  beforeAll(async () => {
    test = await startTestApp({ overrides: { now: () => clock } });
    times.push('', minuteLater());
    clientId = (await addClient(test, { name: 'Before', tags: ['web'] })).id;
    await mutate('renameAuthorizationCodeClient', 'RenameAuthorizationCodeClientInput', { clientId, name: 'After' });
    await mutate('addRedirectUrl', 'AddRedirectUrlInput', { clientId, url: 'https://app.example.com/second' });
    await mutate('setTokenLifetime', 'SetTokenLifetimeInput', { clientId, seconds: 600 });
  });
  afterAll(() => test.dispose());

  it('answers the client at a version exactly as it was: settings, version and times then', async () => {
    const first = await client({ version: 1 });
    expect(first).toMatchObject({
      id: clientId,
      name: 'Before',
      tokenLifetime: 3600,
      allowedRedirectUrls: ['https://app.example.com/callback'],
      tags: ['web'],
      version: 1,
      createdAt: times[1],
      updatedAt: times[1],
      createdBy: { id: 'user-of-tenant-a' },
    });
    expect(await client({ version: 3 })).toMatchObject({
      name: 'After',
      allowedRedirectUrls: ['https://app.example.com/callback', 'https://app.example.com/second'],
      tokenLifetime: 3600,
      version: 3,
      createdAt: times[1],
      updatedAt: times[3],
    });
  });

  it('at its current version, is the client as the list shows it now', async () => {
    const now = (await test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { ${CLIENT_FIELDS} history { nodes { action } } } }`, { id: clientId }))
      .data.authorizationCodeClient;
    expect(now.version).toBe(4);
    expect(await client({ version: 4 })).toEqual(now);
    expect(await client({ asOf: '2030-01-01T00:00:00Z' })).toEqual(now);
  });

  it('answers the client at a moment: after its last change at or before it', async () => {
    expect((await client({ asOf: times[2] })).version).toBe(2);
    expect((await client({ asOf: new Date(Date.parse(times[2]) + 59_999).toISOString() })).version).toBe(2);
    expect((await client({ asOf: new Date(Date.parse(times[2]) - 1).toISOString() })).name).toBe('Before');
    expect((await client({ asOf: times[1] })).version).toBe(1);
  });

  it('shows the history as it stood then: the entries up to that version', async () => {
    expect((await client({ version: 2 })).history.nodes).toEqual([{ action: 'client.renamed' }, { action: 'client.created' }]);
    expect((await client({ asOf: times[1] })).history.nodes).toEqual([{ action: 'client.created' }]);
    expect((await client({ version: 4 })).history.nodes).toHaveLength(4);
  });

  it('answers null before the client existed, past its last version, for an unknown id and for another tenant', async () => {
    expect(await client({ asOf: new Date(Date.parse(times[1]) - 1).toISOString() })).toBeNull();
    expect(await client({ version: 5 })).toBeNull();
    expect((await test.gql(AS_IT_WAS, { id: '00000000-0000-4000-8000-000000000000', version: 1 })).data.authorizationCodeClient).toBeNull();
    expect((await test.gql(AS_IT_WAS, { id: 'not-a-uuid', version: 1 })).data.authorizationCodeClient).toBeNull();
    const other = await test.caller('tenant-b');
    const answer = await asItWas({ version: 1 }, other.token);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.authorizationCodeClient).toBeNull();
  });

  it('is a query: open to a Tenant Auditor', async () => {
    const auditor = await test.caller('tenant-a', { roles: [ROLES.auditor] });
    expect((await asItWas({ version: 2 }, auditor.token)).data.authorizationCodeClient.name).toBe('After');
  });

  it('shows a deleted client as it was while it existed, and null from its deletion on', async () => {
    times.length = 0;
    times.push('', minuteLater());
    const deleted = (await addClient(test, { name: 'Doomed' })).id;
    await mutate('renameAuthorizationCodeClient', 'RenameAuthorizationCodeClientInput', { clientId: deleted, name: 'Doomed, renamed' });
    await mutate('deleteAuthorizationCodeClient', 'DeleteAuthorizationCodeClientInput', { clientId: deleted });
    const at = (variables: Record<string, unknown>) => test.gql(AS_IT_WAS, { id: deleted, ...variables });
    expect((await test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { id } }`, { id: deleted })).data.authorizationCodeClient).toBeNull();
    expect((await at({ version: 2 })).data.authorizationCodeClient).toMatchObject({ name: 'Doomed, renamed', version: 2 });
    expect((await at({ asOf: times[2] })).data.authorizationCodeClient).toMatchObject({ name: 'Doomed, renamed', version: 2 });
    expect((await at({ version: 3 })).data.authorizationCodeClient).toBeNull();
    expect((await at({ asOf: times[3] })).data.authorizationCodeClient).toBeNull();
  });

  it('refuses asOf and version together, naming the field', async () => {
    const response = await asItWas({ version: 1, asOf: times[1] });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(violationsOf(response)).toEqual([{ field: 'version', rule: 'oneOf' }]);
    expect(response.data?.authorizationCodeClient ?? null).toBeNull();
  });

  it('refuses a version below 1', async () => {
    for (const version of [0, -3]) {
      const response = await asItWas({ version });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(violationsOf(response)).toEqual([{ field: 'version', rule: 'version' }]);
    }
  });

  it('refuses a malformed moment or version, naming the field', async () => {
    const badDate = await asItWas({ asOf: 'yesterday' });
    expect(errorCode(badDate)).toBe('BAD_USER_INPUT');
    expect(violationsOf(badDate)).toEqual([{ field: 'asOf', rule: 'variables' }]);
    const badVersion = await asItWas({ version: 'two' });
    expect(errorCode(badVersion)).toBe('BAD_USER_INPUT');
    expect(violationsOf(badVersion)).toEqual([{ field: 'version', rule: 'variables' }]);
    const fraction = await asItWas({ version: 1.5 });
    expect(violationsOf(fraction)).toEqual([{ field: 'version', rule: 'variables' }]);
  });
});
