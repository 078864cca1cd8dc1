import { type Caller, PAYLOAD_FIELDS, type TestApp, errorCode, startTestApp } from '../testing/testApp';

const ADD = `mutation Add($input: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $input) { ${PAYLOAD_FIELDS} } }`;
const TWO = `mutation Two($a: AddAuthorizationCodeClientInput!, $b: AddAuthorizationCodeClientInput!) {
  a: addAuthorizationCodeClient(input: $a) { client { id name } }
  b: addAuthorizationCodeClient(input: $b) { client { id name } }
}`;
const LIST = '{ authorizationCodeClients { totalCount nodes { id name } } auditTrail { totalCount } }';
const input = (name: string) => ({ name, allowedRedirectUrls: ['https://app.example.com/cb'] });

describe('Idempotency-Key on mutations', () => {
  let test: TestApp;
  let admin: Caller;
  let clock = Date.parse('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    test = await startTestApp({ env: { IDEMPOTENCY_KEY_TTL_SECONDS: '60' }, overrides: { now: () => new Date(clock) } });
    admin = await test.caller('tenant-idem');
  });
  afterAll(() => test.dispose());

  const addWithKey = (key: string, name: string, by: Caller = admin) =>
    test.gql(ADD, { input: input(name) }, { token: by.token, headers: { 'Idempotency-Key': key } });
  const counts = async (by: Caller = admin) => {
    const { data } = await test.gql(LIST, {}, { token: by.token });
    return { clients: data.authorizationCodeClients.totalCount as number, entries: data.auditTrail.totalCount as number };
  };

  it('a retry after success answers the original outcome and appends nothing', async () => {
    const before = await counts();
    const first = await addWithKey('retry-after-success', 'Retried');
    expect(first.errors).toBeUndefined();
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const retry = await addWithKey('retry-after-success', 'Retried');
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.data).toEqual(first.data);
    expect(await counts()).toEqual({ clients: before.clients + 1, entries: before.entries + 1 });
  });

  it('the same request laid out differently, variables in another order, is the same request', async () => {
    const first = await addWithKey('layout', 'Layout');
    const variables = { input: { allowedRedirectUrls: ['https://app.example.com/cb'], name: 'Layout' } };
    const retry = await test.gql(`# a comment\n${ADD.replace(/ /g, '  ')}`, variables, { token: admin.token, headers: { 'Idempotency-Key': 'layout' } });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.data).toEqual(first.data);
  });

  it('the same key with another request is refused and changes nothing', async () => {
    await addWithKey('different-body', 'Original');
    const before = await counts();
    const other = await addWithKey('different-body', 'Something else');
    expect(other.status).toBe(400);
    expect(errorCode(other)).toBe('BAD_USER_INPUT');
    expect(other.errors?.[0].extensions.violations).toEqual([
      expect.objectContaining({ field: 'Idempotency-Key', rule: 'idempotencyKey', message: expect.stringMatching(/sent with another request/) }),
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses a key of the wrong shape', async () => {
    const bad = await addWithKey('has spaces', 'Bad');
    expect(bad.status).toBe(400);
    expect(bad.errors?.[0].extensions.violations[0]).toMatchObject({ field: 'Idempotency-Key', rule: 'idempotencyKey' });
    expect((await addWithKey('k'.repeat(256), 'Bad')).status).toBe(400);
  });

  it('a key expires after IDEMPOTENCY_KEY_TTL_SECONDS: then it may name a new request', async () => {
    await addWithKey('expiring', 'Before expiry');
    clock += 59_000;
    expect((await addWithKey('expiring', 'After expiry')).status).toBe(400);
    clock += 2_000;
    const before = await counts();
    const reused = await addWithKey('expiring', 'After expiry');
    expect(reused.errors).toBeUndefined();
    expect(reused.headers.get('idempotent-replayed')).toBeNull();
    expect(reused.data.addAuthorizationCodeClient.client.name).toBe('After expiry');
    expect((await counts()).clients).toBe(before.clients + 1);
  });

  it('two tenants, or two principals of one tenant, using the same key do not collide', async () => {
    const other = await test.caller('tenant-idem-other');
    const colleague = await test.caller('tenant-idem', { subject: 'colleague' });
    const mine = await addWithKey('shared-key', 'Mine');
    const theirs = await addWithKey('shared-key', 'Mine', other);
    const colleagues = await addWithKey('shared-key', 'Mine', colleague);
    for (const answer of [theirs, colleagues]) {
      expect(answer.errors).toBeUndefined();
      expect(answer.headers.get('idempotent-replayed')).toBeNull();
    }
    const ids = [mine, theirs, colleagues].map((answer) => answer.data.addAuthorizationCodeClient.client.id);
    expect(new Set(ids).size).toBe(3);
    expect((await counts(other)).clients).toBe(1);
  });

  it('a request with several mutations is one unit: retried, none of them runs again', async () => {
    const before = await counts();
    const send = () =>
      test.gql(TWO, { a: input('First of two'), b: input('Second of two') }, { token: admin.token, headers: { 'Idempotency-Key': 'two' } });
    const first = await send();
    expect(first.errors).toBeUndefined();
    expect(first.data.a.client.id).not.toBe(first.data.b.client.id);
    const retry = await send();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.data).toEqual(first.data);
    expect((await counts()).clients).toBe(before.clients + 2);
  });

  it('an answer that failed for good (a rule broken) is kept; the key still names that request', async () => {
    const bad = { input: { name: '', allowedRedirectUrls: ['https://app.example.com/cb'] } };
    const first = await test.gql(ADD, bad, { token: admin.token, headers: { 'Idempotency-Key': 'refused' } });
    expect(errorCode(first)).toBe('BAD_USER_INPUT');
    const retry = await test.gql(ADD, bad, { token: admin.token, headers: { 'Idempotency-Key': 'refused' } });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.errors).toEqual(first.errors);
  });

  it('queries ignore the key', async () => {
    const query = await test.gql(LIST, {}, { token: admin.token, headers: { 'Idempotency-Key': 'a-query' } });
    expect(query.errors).toBeUndefined();
    const again = await test.gql(LIST, {}, { token: admin.token, headers: { 'Idempotency-Key': 'a-query' } });
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it('the kept answers survive a restart', async () => {
    const first = await addWithKey('across-restart', 'Durable');
    await test.restart();
    const retry = await addWithKey('across-restart', 'Durable');
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.data).toEqual(first.data);
  });
});
