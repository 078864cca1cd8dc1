import { type Caller, type TestApp, addClient, startTestApp } from '../testing/testApp';

const AUDIT = '{ auditTrail(first: 1) { pageInfo { endCursor } nodes { position leafIndex } } }';
const RENAME = `mutation($id: ID!, $name: String!) { renameAuthorizationCodeClient(input: { clientId: $id, name: $name }) { position } }`;

describe('positions and cursors a tenant sees', () => {
  let test: TestApp;
  let a: Caller;
  let b: Caller;

  beforeAll(async () => {
    test = await startTestApp();
    a = await test.caller('tenant-pos-a');
    b = await test.caller('tenant-pos-b');
  });
  afterAll(() => test.dispose());

  const latestAudit = async (by: Caller) => (await test.gql(AUDIT, {}, { token: by.token })).data.auditTrail;

  it('tell nothing of other tenants’ writes: a cursor counts only the tenant’s own entries', async () => {
    const first = await addClient(test, {}, a.token);
    const aBefore = await latestAudit(a);
    for (let i = 0; i < 5; i += 1) await addClient(test, {}, b.token);
    await test.gql(RENAME, { id: first.id, name: 'Renamed' }, { token: a.token });
    const aAfter = await latestAudit(a);
    const bLatest = await latestAudit(b);
    // Tenant a's second entry pages exactly like tenant b's second: the five b wrote in between do not show.
    expect(aAfter.nodes[0].leafIndex).toBe(1);
    expect(aBefore.nodes[0].leafIndex).toBe(0);
    const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    expect(decode(aAfter.pageInfo.endCursor)).toEqual(['audit-leaf', 1, 1]);
    expect(decode(bLatest.pageInfo.endCursor)).toEqual(['audit-leaf', 4, 4]);
    for (const { position } of [aBefore.nodes[0], aAfter.nodes[0], bLatest.nodes[0]]) expect(position).toMatch(/^p1\.[A-Za-z0-9_-]{59}$/);
  });

  it('a mutation’s position is the audit entry’s, and keeps working as Consistency-Position for its tenant only', async () => {
    const client = await addClient(test, {}, a.token);
    const renamed = await test.gql(RENAME, { id: client.id, name: 'Consistent' }, { token: a.token });
    const { position } = renamed.data.renameAuthorizationCodeClient;
    expect((await latestAudit(a)).nodes[0].position).toBe(position);
    const read = await test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { name } }`, { id: client.id }, {
      token: a.token,
      headers: { 'Consistency-Position': position },
    });
    expect(read.data.authorizationCodeClient.name).toBe('Consistent');
    expect(read.extensions?.stale).toBeUndefined();
    const stolen = await test.gql('{ me { id } }', {}, { token: b.token, headers: { 'Consistency-Position': position } });
    expect(stolen.status).toBe(400);
    expect(stolen.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ field: 'Consistency-Position', rule: 'position' }] });
  });

  it('refuses a plain global position: one could probe the store’s head with it', async () => {
    const plain = await test.gql('{ me { id } }', {}, { token: a.token, headers: { 'Consistency-Position': '1.1' } });
    expect(plain.status).toBe(400);
    expect(plain.errors![0].message).toMatch(/position this service answered your tenant/);
  });

  it('positions given before a restart still work after it (the key is kept in DATA_DIR)', async () => {
    const client = await addClient(test, {}, a.token);
    const renamed = await test.gql(RENAME, { id: client.id, name: 'Before restart' }, { token: a.token });
    await test.restart();
    const read = await test.gql('{ me { id } }', {}, {
      token: a.token,
      headers: { 'Consistency-Position': renamed.data.renameAuthorizationCodeClient.position },
    });
    expect(read.errors).toBeUndefined();
    expect(read.extensions?.stale).toBeUndefined();
  });
});
