import { readOperatorToken } from '../../src/auth';
import { loadConfig } from '../../src/config';
import { bearer, connectLive, subscribe } from '../testing/liveClient';
import { parsePrometheusText, sampleValue } from '../testing/prometheusText';
import { type TestApp, startTestApp } from '../testing/testApp';

const REDIRECT = 'https://app.example.com/callback';
const ADD_TEN = `mutation($input: AddAuthorizationCodeClientInput!) { ${Array.from({ length: 10 }, (_, i) => `a${i}: addAuthorizationCodeClient(input: $input) { changed }`).join(' ')} }`;
const ADD_ONE = 'mutation($input: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $input) { client { id } } }';
const COUNT = '{ authorizationCodeClients { totalCount } }';
const input = { name: 'Burst', allowedRedirectUrls: [REDIRECT] };

describe('rate limits', () => {
  it('documents its defaults: 1000 requests at once then 50 a second per caller, 500 mutations then 25 a second; three times that per tenant', () => {
    expect(loadConfig({}).rateLimits).toEqual({
      principalRequests: { burst: 1000, perSecond: 50 },
      principalMutations: { burst: 500, perSecond: 25 },
      tenantRequests: { burst: 3000, perSecond: 150 },
      tenantMutations: { burst: 1500, perSecond: 75 },
    });
    expect(() => loadConfig({ RATE_LIMIT_TENANT_MUTATION_BURST: '0' })).toThrow('RATE_LIMIT_TENANT_MUTATION_BURST must be a whole number from 1 to 10000000; it is "0"');
  });

  describe('with the defaults', () => {
    let test: TestApp;
    beforeAll(async () => {
      test = await startTestApp();
    });
    afterAll(() => test.dispose());

    it('lets an admin tool’s honest burst through: 400 mutations in a few seconds from one caller', async () => {
      const { token } = await test.caller('tenant-tool');
      const started = performance.now();
      const answers = [];
      // 30 operations of ten adds, five at a time, and 100 single adds.
      for (let round = 0; round < 6; round += 1) {
        answers.push(...(await Promise.all(Array.from({ length: 5 }, () => test.gql(ADD_TEN, { input }, { token })))));
      }
      for (let round = 0; round < 10; round += 1) {
        answers.push(...(await Promise.all(Array.from({ length: 10 }, () => test.gql(ADD_ONE, { input }, { token })))));
      }
      const seconds = (performance.now() - started) / 1000;
      expect(answers.filter((answer) => answer.status !== 200 || answer.errors)).toEqual([]);
      expect((await test.gql(COUNT, {}, { token })).data.authorizationCodeClients.totalCount).toBe(400);
      expect(seconds).toBeLessThan(30);
    }, 60_000);
  });

  describe('when a bucket is empty', () => {
    let test: TestApp;
    beforeAll(async () => {
      test = await startTestApp({
        env: {
          RATE_LIMIT_PRINCIPAL_MUTATION_BURST: '3',
          RATE_LIMIT_PRINCIPAL_MUTATIONS_PER_SECOND: '1',
          RATE_LIMIT_PRINCIPAL_REQUEST_BURST: '12',
          RATE_LIMIT_PRINCIPAL_REQUESTS_PER_SECOND: '5',
          RATE_LIMIT_TENANT_REQUEST_BURST: '40',
          RATE_LIMIT_TENANT_REQUESTS_PER_SECOND: '20',
        },
      });
    });
    afterAll(() => test.dispose());

    it('refuses a mutation past the caller’s mutation bucket with 429, Retry-After and RATE_LIMITED, and records nothing', async () => {
      const { token } = await test.caller('tenant-mutations');
      const refusals = async () => {
        const response = await fetch(`${test.url}/metrics`, { headers: { authorization: `Bearer ${readOperatorToken(test.dataDir)!}` } });
        return sampleValue(parsePrometheusText(await response.text()), 'rate_limit_refusals_total', { scope: 'principal', kind: 'mutation' });
      };
      const refusedBefore = await refusals();
      const two = `mutation($input: AddAuthorizationCodeClientInput!) { a: addAuthorizationCodeClient(input: $input) { changed } b: addAuthorizationCodeClient(input: $input) { changed } }`;
      expect((await test.gql(two, { input }, { token })).errors).toBeUndefined();
      const refused = await test.gql(two, { input }, { token });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.data).toBeUndefined();
      expect(refused.errors![0].extensions).toMatchObject({
        code: 'RATE_LIMITED',
        limit: 'principalMutations',
        burst: 3,
        perSecond: 1,
        retryAfterSeconds: Number(refused.headers.get('retry-after')),
        operationId: expect.any(String),
      });
      expect(refused.errors![0].message).toMatch(/^Too many mutations from one caller: at most 3 at once and 1 a second \(principalMutations\); retry after \d+ s$/);
      // The refusal is counted for /metrics.
      expect((await refusals()) - refusedBefore).toBe(1);
      // Neither of the refused operation's two adds ran; the one that fits still does, and queries are not mutations.
      expect((await test.gql(COUNT, {}, { token })).data.authorizationCodeClients.totalCount).toBe(2);
      expect((await test.gql(ADD_ONE, { input }, { token })).errors).toBeUndefined();
      expect((await test.gql(COUNT, {}, { token })).data.authorizationCodeClients.totalCount).toBe(3);
    });

    it('refuses requests past the caller’s request bucket, lets another caller of the tenant through, and refills', async () => {
      const flooder = await test.caller('tenant-requests', { subject: 'flooder' });
      const colleague = await test.caller('tenant-requests', { subject: 'colleague' });
      const answers = await Promise.all(Array.from({ length: 20 }, () => test.gql('{ me { id } }', {}, { token: flooder.token })));
      const refused = answers.filter((answer) => answer.status === 429);
      expect(refused.length).toBeGreaterThanOrEqual(8);
      expect(refused[0].errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'principalRequests' });
      expect(refused[0].headers.get('retry-after')).toBe('1');
      expect((await test.gql('{ me { id } }', {}, { token: colleague.token })).data).toEqual({ me: { id: 'colleague' } });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await test.gql('{ me { id } }', {}, { token: flooder.token })).status).toBe(200);
    });

    it('charges subscriptions to the request buckets too', async () => {
      const { token } = await test.caller('tenant-live', { subject: 'watcher' });
      await Promise.all(Array.from({ length: 14 }, () => test.gql('{ me { id } }', {}, { token })));
      const live = connectLive(test, bearer(token));
      try {
        const { error } = await subscribe(live, 'subscription { auditEntryAdded { id } }').ended;
        expect((error as { extensions: unknown }[])[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'principalRequests', retryAfterSeconds: 1 });
      } finally {
        await live.dispose();
      }
    });

    it('keeps one tenant’s flood from slowing another tenant', async () => {
      const flooders = await Promise.all(Array.from({ length: 10 }, (_, i) => test.caller('tenant-flood', { subject: `bot-${i}` })));
      const other = await test.caller('tenant-quiet');
      const QUIET = '{ me { tenantId } authorizationCodeClients { totalCount } }';
      expect((await test.gql(QUIET, {}, { token: other.token })).status).toBe(200);
      let flooding = true;
      const flood = Promise.all(
        flooders.map(async ({ token }) => {
          const statuses: number[] = [];
          while (flooding) statuses.push((await test.gql('{ authorizationCodeClients(first: 20) { nodes { id } } }', {}, { token })).status);
          return statuses;
        }),
      );
      const latencies: number[] = [];
      const quietAnswers = [];
      // Within its own caller's bucket (12 at once, then 5 a second).
      for (let i = 0; i < 14; i += 1) {
        const started = performance.now();
        quietAnswers.push(await test.gql(QUIET, {}, { token: other.token }));
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      flooding = false;
      const statuses = (await flood).flat();
      // The flooding tenant's 10 callers together pass its tenant bucket (40, then 20 a second) and are refused...
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(statuses.length / 2);
      // ...while the other tenant is answered every time, promptly.
      expect(quietAnswers.map((answer) => answer.status)).toEqual(Array(14).fill(200));
      expect(quietAnswers[0].data.me).toEqual({ tenantId: 'tenant-quiet' });
      // The refusals are cheap (no body read, nothing run), so the quiet tenant's typical answer stays quick.
      const median = [...latencies].sort((a, b) => a - b)[Math.floor(latencies.length / 2)];
      expect(median).toBeLessThan(150);
    }, 30_000);
  });
});
