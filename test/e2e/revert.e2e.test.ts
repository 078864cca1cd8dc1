import { ROLES } from '../../src/auth';
import { EVENT_SCHEMA_VERSION, clientStreamId } from '../../src/domain/client';
import { CLIENT_FIELDS, type GqlResponse, PAYLOAD_FIELDS, type TestApp, addClient, errorCode, startTestApp } from '../testing/testApp';

const REVERT = `mutation($input: RevertAuthorizationCodeClientInput!) { revertAuthorizationCodeClient(input: $input) { ${PAYLOAD_FIELDS} } }`;
const AT_VERSION = `query($id: ID!, $version: Int) { authorizationCodeClient(id: $id, version: $version) { ${CLIENT_FIELDS} } }`;
const CALLBACK = 'https://app.example.com/callback';
const SECOND = 'https://app.example.com/second';

/** A client's settings, lists as sets: what a revert brings back. */
const settingsOf = (client: Record<string, any>) => ({
  name: client.name,
  enabled: client.enabled,
  tokenLifetime: client.tokenLifetime,
  clientUri: client.clientUri,
  logoUri: client.logoUri,
  allowedRedirectUrls: [...client.allowedRedirectUrls].sort(),
  allowedLogoutRedirectUrls: [...client.allowedLogoutRedirectUrls].sort(),
  allowedCorsOrigins: [...client.allowedCorsOrigins].sort(),
  tags: [...client.tags].sort(),
});

const violationsOf = (response: GqlResponse) =>
  (response.errors?.[0]?.extensions.violations as { field: string; rule: string; index?: number }[] | undefined)?.map(({ field, rule, index }) => ({
    field,
    rule,
    ...(index === undefined ? {} : { index }),
  }));

describe('revertAuthorizationCodeClient', () => {
  let test: TestApp;
  const eventCount = async (id: string) => (await test.app.store.readStream(clientStreamId(id))).events.length;
  const mutate = async (name: string, inputType: string, input: Record<string, unknown>) => {
    const response = await test.gql(`mutation($input: ${inputType}!) { ${name}(input: $input) { ${PAYLOAD_FIELDS} } }`, { input });
    if (response.errors) throw new Error(`${name}: ${JSON.stringify(response.errors)}`);
    return response.data[name];
  };
  const atVersion = async (id: string, version: number) => (await test.gql(AT_VERSION, { id, version })).data.authorizationCodeClient;
  /** A client at version 1, then changed by one mutation of several kinds: at version 6. */
  const changedClient = async () => {
    const { id } = await addClient(test, { name: 'Original', allowedCorsOrigins: ['https://api.example.com'], tags: ['web'] });
    await mutate('renameAuthorizationCodeClient', 'RenameAuthorizationCodeClientInput', { clientId: id, name: 'Changed' });
    await mutate('setTokenLifetime', 'SetTokenLifetimeInput', { clientId: id, seconds: 600 });
    await mutate('addRedirectUrl', 'AddRedirectUrlInput', { clientId: id, url: SECOND });
    await mutate('removeRedirectUrl', 'RemoveRedirectUrlInput', { clientId: id, url: CALLBACK });
    await mutate('disableAuthorizationCodeClient', 'DisableAuthorizationCodeClientInput', { clientId: id });
    return id;
  };

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.dispose());

  it('gives every setting back its value at toVersion, and the audit trail shows each change it made', async () => {
    const id = await changedClient();
    const payload = await mutate('revertAuthorizationCodeClient', 'RevertAuthorizationCodeClientInput', {
      clientId: id,
      toVersion: 1,
      expectedVersion: 6,
      reason: 'Back to how it was onboarded',
    });
    expect(payload.changed).toBe(true);
    expect(payload.client).toMatchObject({
      name: 'Original',
      tokenLifetime: 3600,
      enabled: true,
      allowedRedirectUrls: [CALLBACK],
      allowedCorsOrigins: ['https://api.example.com'],
      tags: ['web'],
      version: 11,
    });
    // The new version, read as it was, has the settings of version 1.
    expect(settingsOf(await atVersion(id, 11))).toEqual(settingsOf(await atVersion(id, 1)));

    const trail = await test.gql(
      `query($id: ID!) { auditTrail(filter: { clientId: $id }, first: 5) { nodes { action reason operationId changes { field before after } } } }`,
      { id },
    );
    const entries = trail.data.auditTrail.nodes as { action: string; reason: string; operationId: string; changes: unknown[] }[];
    expect(entries.map((entry) => entry.action).reverse()).toEqual([
      'client.renamed',
      'client.token_lifetime.changed',
      'client.enabled',
      'client.redirect_url.added',
      'client.redirect_url.removed',
    ]);
    for (const entry of entries) expect(entry).toMatchObject({ reason: 'Back to how it was onboarded', operationId: payload.operationId });
    expect(entries.at(-1)!.changes).toEqual([{ field: 'name', before: 'Changed', after: 'Original' }]);
    expect(entries[0].changes).toEqual([{ field: 'allowedRedirectUrls', before: [SECOND, CALLBACK], after: [CALLBACK] }]);
  });

  it('answers changed: false and records nothing when nothing differs', async () => {
    const id = await changedClient();
    const same = await mutate('revertAuthorizationCodeClient', 'RevertAuthorizationCodeClientInput', { clientId: id, toVersion: 6 });
    expect(same).toMatchObject({ changed: false, client: { version: 6, name: 'Changed' } });
    await mutate('revertAuthorizationCodeClient', 'RevertAuthorizationCodeClientInput', { clientId: id, toVersion: 2 });
    const version = await eventCount(id);
    const again = await mutate('revertAuthorizationCodeClient', 'RevertAuthorizationCodeClientInput', { clientId: id, toVersion: 2 });
    expect(again).toMatchObject({ changed: false, client: { version } });
    expect(await eventCount(id)).toBe(version);
  });

  it('refuses a toVersion the client never had: BAD_USER_INPUT on toVersion, nothing recorded', async () => {
    const id = await changedClient();
    for (const toVersion of [0, -1, 7, 1000]) {
      const response = await test.gql(REVERT, { input: { clientId: id, toVersion } });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(violationsOf(response)).toEqual([{ field: 'toVersion', rule: 'version' }]);
    }
    expect(await eventCount(id)).toBe(6);
  });

  it('refuses a stale expectedVersion with CONFLICT and the current version', async () => {
    const id = await changedClient();
    const response = await test.gql(REVERT, { input: { clientId: id, toVersion: 1, expectedVersion: 5 } });
    expect(errorCode(response)).toBe('CONFLICT');
    expect(response.errors![0].extensions.currentVersion).toBe(6);
    expect(await eventCount(id)).toBe(6);
  });

  it('answers NOT_FOUND for a deleted client, an unknown one and another tenant’s', async () => {
    const id = await changedClient();
    await mutate('deleteAuthorizationCodeClient', 'DeleteAuthorizationCodeClientInput', { clientId: id });
    expect(errorCode(await test.gql(REVERT, { input: { clientId: id, toVersion: 1 } }))).toBe('NOT_FOUND');
    expect(errorCode(await test.gql(REVERT, { input: { clientId: '00000000-0000-4000-8000-000000000000', toVersion: 1 } }))).toBe('NOT_FOUND');
    const theirs = (await addClient(test, {}, (await test.caller('tenant-b')).token)).id;
    expect(errorCode(await test.gql(REVERT, { input: { clientId: theirs, toVersion: 1 } }))).toBe('NOT_FOUND');
    expect(await eventCount(theirs)).toBe(1);
  });

  it('may be done only by a Tenant Administrator', async () => {
    const id = await changedClient();
    const auditor = await test.caller('tenant-a', { roles: [ROLES.auditor] });
    const response = await test.gql(REVERT, { input: { clientId: id, toVersion: 1 } }, { token: auditor.token });
    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(await eventCount(id)).toBe(6);
  });

  it('refuses to bring back what today’s rules refuse, listing each violation at its setting', async () => {
    // A client an older release recorded with an http redirect URL, a tag and a lifetime today's rules refuse.
    const id = '6d1f0c2a-8b3e-4f5a-9c7d-0e1f2a3b4c5d';
    await test.app.store.appendToStream(
      clientStreamId(id),
      [
        {
          type: 'ClientCreated',
          data: {
            clientId: id,
            tenantId: 'tenant-a',
            name: 'Legacy',
            enabled: true,
            tokenLifetime: 30,
            allowedRedirectUrls: ['http://legacy.example.com/cb', CALLBACK],
            allowedLogoutRedirectUrls: [],
            allowedCorsOrigins: [],
            clientUri: null,
            logoUri: null,
            tags: ['bad tag!'],
          },
          metadata: {
            schemaVersion: EVENT_SCHEMA_VERSION,
            tenantId: 'tenant-a',
            actor: { id: 'migration', name: null },
            operationId: 'op-legacy',
            correlationId: 'op-legacy',
            causationId: 'op-legacy',
            occurredAt: '2020-01-01T00:00:00.000Z',
            reason: null,
          },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await mutate('removeRedirectUrl', 'RemoveRedirectUrlInput', { clientId: id, url: 'http://legacy.example.com/cb' });
    await mutate('updateAuthorizationCodeClient', 'UpdateAuthorizationCodeClientInput', { clientId: id, tags: [] });
    await mutate('renameAuthorizationCodeClient', 'RenameAuthorizationCodeClientInput', { clientId: id, name: 'Modern' });
    const response = await test.gql(REVERT, { input: { clientId: id, toVersion: 1 } });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(violationsOf(response)).toEqual([
      { field: 'allowedRedirectUrls', rule: 'redirectUrl', index: 0 },
      { field: 'tags', rule: 'tag', index: 0 },
    ]);
    expect(await eventCount(id)).toBe(4);
    // Settings it keeps as they are (the old lifetime) are not checked again, as no other command checks them.
    const toThree = await mutate('revertAuthorizationCodeClient', 'RevertAuthorizationCodeClientInput', { clientId: id, toVersion: 3 });
    expect(toThree).toMatchObject({ changed: true, client: { name: 'Legacy', tokenLifetime: 30, version: 5 } });
  });
});
