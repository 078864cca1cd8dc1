import { request } from 'node:http';
import { type TestApp, addClient, errorCode, startTestApp } from '../testing/testApp';

/** Sends a raw HTTP request and answers status, headers and body (or the socket error). */
const raw = (
  url: string,
  options: { method?: string; headers?: Record<string, string>; chunks?: Buffer[] },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end();
  });

describe('requests at the edges', () => {
  let test: TestApp;
  let token: string;
  beforeAll(async () => {
    test = await startTestApp({ env: { MAX_BODY_BYTES: '4096' } });
    token = (await test.caller('tenant-a')).token;
  });
  afterAll(() => test.dispose());

  const auth = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  it('records the operation id as correlation id when the caller sends none, and the caller’s own otherwise', async () => {
    const plain = await addClient(test, { name: 'Uncorrelated' });
    const correlated = await test.gql(
      `mutation($i: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $i) { operationId } }`,
      { i: { clientId: plain.id, name: 'Correlated' } },
      { headers: { 'X-Correlation-Id': 'ticket-42' } },
    );
    expect(correlated.errors).toBeUndefined();
    const audit = await test.gql(`query($id: ID!) { auditTrail(filter: { clientId: $id }) { nodes { action operationId correlationId } } }`, { id: plain.id });
    const [renamed, created] = audit.data.auditTrail.nodes;
    expect(renamed).toMatchObject({ action: 'client.renamed', correlationId: 'ticket-42' });
    expect(created.correlationId).toBe(created.operationId);
  });

  it('refuses a chunked body over the limit with a readable 413, not a reset connection', async () => {
    const chunk = Buffer.from(`{"query":"{ me { id } }","variables":{"pad":"${'x'.repeat(3000)}`);
    const response = await raw(`${test.url}/graphql`, {
      headers: { ...auth(), 'transfer-encoding': 'chunked' },
      chunks: [chunk, Buffer.from('x'.repeat(3000)), Buffer.from('"}}')],
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).errors[0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'bodySize', operationId: expect.any(String) });
    const within = await raw(`${test.url}/graphql`, {
      headers: { ...auth(), 'transfer-encoding': 'chunked' },
      chunks: [Buffer.from('{"query":'), Buffer.from('"{ me { id } }"}')],
    });
    expect(JSON.parse(within.body)).toEqual({ data: { me: { id: 'user-of-tenant-a' } } });
  });

  it('gives every error an operation id, also for requests Apollo refuses before GraphQL runs', async () => {
    for (const body of ['{}', '"just a string"', '{"query":"{ me { id } }","variables":"nope"}', '[{"query":"{ me { id } }"}]']) {
      const response = await raw(`${test.url}/graphql`, { headers: auth(), chunks: [Buffer.from(body)] });
      expect(response.status).toBe(400);
      const { errors } = JSON.parse(response.body);
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) {
        expect(error.extensions.operationId).toBe(response.headers['x-operation-id']);
        expect(error.extensions.code).toBe('BAD_USER_INPUT');
      }
    }
  });

  it('refuses every malformed GraphQL request over HTTP as BAD_USER_INPUT naming the part, with the operation id', async () => {
    const post = (body: string) => raw(`${test.url}/graphql`, { headers: auth(), chunks: [Buffer.from(body)] });
    const get = (search: string, headers: Record<string, string> = {}) =>
      raw(`${test.url}/graphql?${search}`, { method: 'GET', headers: { authorization: `Bearer ${token}`, ...headers } });
    const cases: [Promise<{ status: number; headers: Record<string, unknown>; body: string }>, number, string][] = [
      [post('{"query":"{ me { id } }","extensions":"nope"}'), 400, 'extensions'],
      [post('{"query":"{ me { id } }","variables":[1]}'), 400, 'variables'],
      [post('{"query":"{ me { id } }","operationName":7}'), 400, 'operationName'],
      [post('{"query":{"kind":"Document"}}'), 400, 'query'],
      [post('[]'), 400, 'body'],
      [get(`query=${encodeURIComponent('{ me { id } }')}&query=${encodeURIComponent('{ me { id } }')}`), 400, 'query'],
      [get(`query=${encodeURIComponent('{ me { id } }')}&variables=%7Bnot-json`), 400, 'variables'],
      [get(`query=${encodeURIComponent('{ me { id } }')}`, { 'content-type': 'text/plain' }), 415, 'Content-Type'],
      [get(`query=${encodeURIComponent('{ me { id } }')}`, { accept: 'text/csv' }), 406, 'Accept'],
    ];
    for (const [pending, status, field] of cases) {
      const response = await pending;
      expect({ field, status: response.status }).toEqual({ field, status });
      const [error] = JSON.parse(response.body).errors;
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', operationId: response.headers['x-operation-id'], violations: [{ field, rule: 'request' }] });
    }
  });

  it('answers GET queries with a bearer token', async () => {
    const response = await raw(`${test.url}/graphql?query=${encodeURIComponent('{ me { tenantId } }')}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ data: { me: { tenantId: 'tenant-a' } } });
  });

  it('refuses a query too large to estimate, rather than letting it through (400, LIMIT_EXCEEDED)', async () => {
    const roomy = await startTestApp();
    try {
      // A few tokens that spread one fragment 2^14 times: within the token bound, beyond what the estimate visits.
      const links = Array.from({ length: 14 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
      const big = await roomy.gql(`{ ...F0 } ${links} fragment F14 on Query { authorizationCodeClients(first: 100) { nodes { id name } } }`);
      expect(big.status).toBe(400);
      expect(errorCode(big)).toBe('LIMIT_EXCEEDED');
      expect(big.errors![0].extensions).toMatchObject({ limit: 'nodes', max: 10_000 });
    } finally {
      await roomy.dispose();
    }
    const costly = await test.gql('{ authorizationCodeClients(first: 100) { nodes { history(first: 100) { nodes { id actor { id name } changes { field } } } } } }');
    expect(costly.status).toBe(400);
    expect(costly.errors![0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'cost' });
  });

  it('answers an operation name that names nothing with BAD_USER_INPUT, also for an anonymous query', async () => {
    for (const operationName of ['Nope', '']) {
      const response = await raw(`${test.url}/graphql`, {
        headers: auth(),
        chunks: [Buffer.from(JSON.stringify({ query: '{ me { id } }', operationName }))],
      });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body).errors[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        violations: [{ rule: 'operationName' }],
      });
    }
  });
});
