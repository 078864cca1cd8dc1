import { getIntrospectionQuery } from 'graphql';
import { type TestApp, startTestApp } from '../testing/testApp';

const REDIRECT = 'https://app.example.com/callback';
/** As many deep copies as one operation may hold. */
const COPIES = 2;
const NOTHING_RECORDED = `{ authorizationCodeClients { totalCount } auditTrail { totalCount } }`;

/** `count` aliased copies of `field`, each named a<i>. */
const aliased = (count: number, field: string) => Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ');

/** A deep introspection selection, as deep as graphql's own introspection depth rule allows: every type, field, argument and type reference. */
const DEEP_SCHEMA_FRAGMENT =
  'fragment Deep on __Schema { types { name kind fields { name args { name type { name kind ofType { name kind } } } type { name kind ofType { name kind ofType { name } } } } inputFields { name type { name kind } } enumValues { name } } }';

/** `count` aliased copies of the deep selection, each a few tokens long. */
const deepCopies = (count: number) => `{ ${aliased(count, '__schema { ...Deep }')} } ${DEEP_SCHEMA_FRAGMENT}`;

/** An add input of about `bytes` bytes: ten long redirect URLs, and a reason too long to pass (so validation answers one violation). */
const largeInput = (bytes: number) => ({
  name: 'Large',
  allowedRedirectUrls: Array.from({ length: 10 }, (_, i) => `${REDIRECT}/${i}/${'x'.repeat(2000)}`),
  reason: 'r'.repeat(Math.max(0, bytes - 20_500)),
});

describe('bounded work per request', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.dispose());

  const nothingRecorded = async (token: string) => {
    const after = await test.gql(NOTHING_RECORDED, {}, { token });
    expect(after.data).toEqual({ authorizationCodeClients: { totalCount: 0 }, auditTrail: { totalCount: 0 } });
  };

  it('refuses 4,900 aliased adds in one operation, and records nothing', async () => {
    const { token } = await test.caller('tenant-adds');
    const field = 'addAuthorizationCodeClient(input: $input) { changed }';
    const response = await test.gql(`mutation($input: AddAuthorizationCodeClientInput!) { ${aliased(4900, field)} }`, { input: { name: 'Flood', allowedRedirectUrls: [REDIRECT] } }, { token });
    expect(response.status).toBe(400);
    expect(response.errors![0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'tokens', max: 10_000 });
    expect(response.errors![0].message).toMatch(/more than 10000 tokens/);
    await nothingRecorded(token);
  });

  it('runs 10 mutations in one operation and refuses 11, naming the limit, through fragments too', async () => {
    const { token } = await test.caller('tenant-mutations');
    const input = { name: 'Batch', allowedRedirectUrls: [REDIRECT] };
    const field = 'addAuthorizationCodeClient(input: $input) { changed }';
    const eleven = await test.gql(`mutation($input: AddAuthorizationCodeClientInput!) { ${aliased(10, field)} ...More } fragment More on Mutation { extra: ${field} }`, { input }, { token });
    expect(eleven.status).toBe(400);
    expect(eleven.errors![0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'mutations', max: 10, actual: 11 });
    expect(eleven.errors![0].message).toBe('The operation has 11 mutations; at most 10 are allowed in one operation (send the rest in further requests)');
    await nothingRecorded(token);
    const ten = await test.gql(`mutation($input: AddAuthorizationCodeClientInput!) { ${aliased(10, field)} }`, { input }, { token });
    expect(ten.errors).toBeUndefined();
    expect(Object.values(ten.data)).toHaveLength(10);
  });

  it('takes the bound on mutations from MAX_MUTATIONS_PER_OPERATION', async () => {
    const strict = await startTestApp({ env: { MAX_MUTATIONS_PER_OPERATION: '2' } });
    try {
      const field = 'addAuthorizationCodeClient(input: $input) { changed }';
      const response = await strict.gql(`mutation($input: AddAuthorizationCodeClientInput!) { ${aliased(3, field)} }`, { input: { name: 'Three', allowedRedirectUrls: [REDIRECT] } });
      expect(response.errors![0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'mutations', max: 2, actual: 3 });
    } finally {
      await strict.dispose();
    }
  });

  it('refuses 4,999 aliased validates sharing one large variable, and prices each by its input', async () => {
    const { token } = await test.caller('tenant-validates');
    const field = 'validateAuthorizationCodeClient(input: $input) { rule }';
    const query = (count: number) => `query($input: AddAuthorizationCodeClientInput!) { ${aliased(count, field)} }`;
    const input = largeInput(200_000);
    const flood = await test.gql(query(4999), { input }, { token });
    expect(flood.status).toBe(400);
    expect(flood.errors![0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'tokens' });
    // Under the token bound, the input's size is what makes 40 copies too costly, and one fine.
    const forty = await test.gql(query(40), { input }, { token });
    expect(forty.status).toBe(400);
    expect(forty.errors![0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'cost', max: 50_000 });
    expect(forty.errors![0].extensions.actual).toBeGreaterThan(40 * 2000);
    const one = await test.gql(query(1), { input }, { token });
    expect(one.errors).toBeUndefined();
    expect(one.data.a0).toEqual([{ rule: 'reason' }]);
    await nothingRecorded(token);
  });

  it('refuses 300 aliased copies of a deep __schema selection by what they would build', async () => {
    const response = await test.gql(deepCopies(300));
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'LIMIT_EXCEEDED', limit: 'introspection', max: 2, actual: 300 }) }),
    ]);
    expect(response.errors![0].message).toBe('The operation asks for __schema 300 times; at most 2 are allowed in one operation');
    const once = await test.gql(deepCopies(1));
    expect(once.errors).toBeUndefined();
    expect(once.data.a0.types.length).toBeGreaterThan(20);
  });

  it('runs one auditLogIntegrity per operation and refuses two: each replays every event of the store', async () => {
    const twice = await test.gql(`{ ${aliased(2, 'auditLogIntegrity { ok }')} }`);
    expect(twice.status).toBe(400);
    expect(twice.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'LIMIT_EXCEEDED', limit: 'integrity', max: 1, actual: 2 }) }),
    ]);
    expect(twice.errors![0].message).toBe('The operation asks for auditLogIntegrity 2 times; at most 1 is allowed in one operation');
    const once = await test.gql('{ auditLogIntegrity { ok } }');
    expect(once.data).toEqual({ auditLogIntegrity: { ok: true } });
  });

  it('prices a read of a client as it was by the fold of its events, and a read of the read model at 1', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    // 600 plain reads fit under the cost limit (50,000); 600 time-travel reads (100 each, plus their field) do not.
    const plain = await test.gql(`query($id: ID!) { ${aliased(600, 'authorizationCodeClient(id: $id) { id }')} }`, { id });
    expect(plain.errors).toBeUndefined();
    const past = await test.gql(`query($id: ID!) { ${aliased(600, 'authorizationCodeClient(id: $id, version: 1) { id }')} }`, { id });
    expect(past.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'LIMIT_EXCEEDED', limit: 'cost' }) })]);
  });

  it('lets GraphiQL’s introspection query through, at well under the cost limit', async () => {
    const response = await test.gql(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, schemaDescription: true, directiveIsRepeatable: true, specifiedByUrl: true }));
    expect(response.errors).toBeUndefined();
    expect(response.data.__schema.queryType.name).toBe('Query');
  });

  it('replaces an answer over MAX_RESPONSE_BYTES with LIMIT_EXCEEDED naming the limit', async () => {
    const small = await startTestApp({ env: { MAX_RESPONSE_BYTES: '20000' } });
    try {
      const fine = await small.gql('{ me { id } }');
      expect(fine.errors).toBeUndefined();
      const big = await small.gql(deepCopies(1));
      expect(big.status).toBe(400);
      expect(big.data).toBeUndefined();
      expect(big.errors![0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'responseSize', max: 20_000, operationId: expect.any(String) });
      expect(big.errors![0].extensions.actual).toBeGreaterThan(20_000);
      expect(big.errors![0].message).toMatch(/^The answer would be \d+ bytes; at most 20000 are allowed/);
    } finally {
      await small.dispose();
    }
  });

  it('answers /health within 200 ms while the worst accepted requests run', async () => {
    const { token } = await test.caller('tenant-worst');
    const add = 'addAuthorizationCodeClient(input: $input) { client { id name allowedRedirectUrls } }';
    const validate = 'validateAuthorizationCodeClient(input: $input) { rule message }';
    const input = largeInput(90_000);
    const worst = [
      () => test.gql(`mutation($input: AddAuthorizationCodeClientInput!) { ${aliased(10, add)} }`, { input: { ...input, reason: 'ten' } }, { token }),
      () => test.gql(`query($input: AddAuthorizationCodeClientInput!) { ${aliased(15, validate)} }`, { input }, { token }),
      () => test.gql(deepCopies(COPIES), {}, { token }),
      () => test.gql(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }), {}, { token }),
    ];
    for (const send of worst) expect((await send()).errors).toBeUndefined();
    let running = true;
    // One worst request at a time, each kind in turn, for as long as /health is asked.
    const load = (async () => {
      const answers = [];
      for (let i = 0; running; i += 1) answers.push(await worst[i % worst.length]());
      return answers;
    })();
    const latencies: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const started = performance.now();
      const health = await fetch(`${test.url}/health`);
      await health.text();
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    running = false;
    const answers = await load;
    expect(answers.filter((answer) => answer.errors !== undefined)).toEqual([]);
    expect(answers.length).toBeGreaterThan(8);
    expect(Math.max(...latencies)).toBeLessThan(200);
  }, 60_000);
});
