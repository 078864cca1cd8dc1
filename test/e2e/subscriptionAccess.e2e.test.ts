import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { mintDevToken } from '../../src/auth';
import { bearer, connectLive, subscribe, subscriptionUrl, untilListening } from '../testing/liveClient';
import { type TestApp, addClient, startTestApp } from '../testing/testApp';

jest.setTimeout(60_000);

const ENTRIES = 'subscription($filter: AuditFilter) { auditEntryAdded(filter: $filter) { id action clientId } }';

describe('who may subscribe, and what a subscription may ask', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp({ env: { MAX_QUERY_DEPTH: '5', MAX_QUERY_COST: '500', MAX_BODY_BYTES: '4096' } });
  });
  afterAll(() => test.dispose());

  /** Connects with `params` and answers how the server closed the connection. */
  const refusalOf = async (params?: Record<string, unknown>) => {
    const live = connectLive(test, params);
    const closed = await live.closed;
    await live.dispose();
    return { code: closed.code, reason: closed.reason };
  };

  it('refuses a missing, malformed, badly signed or expired token with 4401 and the reason', async () => {
    const { token } = await test.caller('tenant-a');
    const [header, payload] = token.split('.');
    const expired = await mintDevToken({ dataDir: test.dataDir, tenantId: 'tenant-a', roles: ['Tenant Administrator'], now: new Date(Date.now() - 3_600_000), expiresInSeconds: 60 });
    expect(await refusalOf()).toEqual({ code: 4401, reason: 'Unauthorized: Missing bearer token' });
    expect(await refusalOf({ authorization: token })).toEqual({ code: 4401, reason: 'Unauthorized: Authorization header must use the Bearer scheme' });
    expect(await refusalOf(bearer('not-a-jwt'))).toEqual({ code: 4401, reason: 'Unauthorized: Token is malformed (expected a JWT)' });
    expect(await refusalOf(bearer(`${header}.${payload}.AAAA`))).toEqual({ code: 4401, reason: 'Unauthorized: Token signature is not valid' });
    expect(await refusalOf(bearer(expired))).toEqual({ code: 4401, reason: 'Unauthorized: Token expired' });
  });

  it('refuses a token without a reading role with 4403, and takes the parameter under any spelling', async () => {
    const nobody = await test.caller('tenant-a', { roles: ['Something Else'] });
    const refused = await refusalOf(bearer(nobody.token));
    expect(refused.code).toBe(4403);
    expect(refused.reason).toMatch(/^Forbidden: .*"Tenant Auditor" or "Tenant Administrator"/);
    const admin = await test.caller('tenant-a');
    const live = connectLive(test, { Authorization: `Bearer ${admin.token}` });
    await live.connected;
    await live.dispose();
  });

  it('closes the connection with 4401 when the token expires, not before', async () => {
    const token = await mintDevToken({ dataDir: test.dataDir, tenantId: 'tenant-a', roles: ['Tenant Auditor'], expiresInSeconds: 2 });
    const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).exp as number;
    const live = connectLive(test, bearer(token));
    await live.connected;
    const entries = subscribe(live, ENTRIES);
    const closed = await live.closed;
    const closedAt = Date.now() - (performance.now() - closed.at);
    expect(closed).toMatchObject({ code: 4401, reason: 'Unauthorized: Token expired' });
    expect(closedAt).toBeGreaterThanOrEqual(exp * 1000 - 50);
    expect(closedAt).toBeLessThan(exp * 1000 + 1_000);
    await expect(entries.ended).resolves.toBeDefined();
    await live.dispose();
  });

  describe('on an accepted connection', () => {
    const errorOf = async (query: string, variables?: Record<string, unknown>) => {
      const { token } = await test.caller('tenant-a');
      const live = connectLive(test, bearer(token));
      const subscription = subscribe(live, query, variables);
      const ended = await subscription.ended;
      const errors = subscription.arrivals[0]?.result.errors ?? (ended.error as { extensions?: unknown }[]);
      await live.dispose();
      return errors[0] as { message: string; extensions: Record<string, any> };
    };

    it('refuses a bad filter as the audit trail query does: BAD_USER_INPUT with violations', async () => {
      const actions = Array.from({ length: 51 }, (_, n) => `client.action_${n}`);
      const tooMany = await errorOf(ENTRIES, { filter: { actions } });
      const query = await test.gql('query($filter: AuditFilter) { auditTrail(filter: $filter) { totalCount } }', { filter: { actions } });
      expect(tooMany.extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: query.errors![0].extensions.violations });
      expect(tooMany.extensions.violations[0]).toMatchObject({ rule: 'tooMany' });
      expect(typeof tooMany.extensions.operationId).toBe('string');
      const badTime = await errorOf(ENTRIES, { filter: { from: 'yesterday' } });
      expect(badTime.extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ field: 'filter', rule: 'variables' }] });
      const badField = await errorOf('subscription { auditEntryAdded(filter: { nope: 1 }) { id } }');
      expect(badField.extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ field: 'query', rule: 'schema' }] });
      const syntax = await errorOf('subscription {');
      expect(syntax.extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ field: 'query', rule: 'syntax' }] });
    });

    it('applies the depth and cost limits of HTTP requests', async () => {
      const deep = await errorOf('subscription { authorizationCodeClientChanged { history { edges { node { actor { id } } } } } }');
      expect(deep.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'depth', max: 5 });
      const costly = await errorOf('subscription { authorizationCodeClientChanged { history(first: 100) { nodes { id action clientId changes { field } actor { id name } } } } }');
      expect(costly.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'cost', max: 500 });
    });

    it('holds at most 100 subscriptions on one connection', async () => {
      const { token } = await test.caller('tenant-a');
      const live = connectLive(test, bearer(token));
      const running = Array.from({ length: 100 }, () => subscribe(live, ENTRIES));
      const oneTooMany = subscribe(live, ENTRIES);
      const { error } = await oneTooMany.ended;
      expect((error as { extensions: unknown }[])[0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'subscriptions', max: 100 });
      await untilListening(running[99], async () => {
        const { id } = await addClient(test, {}, token);
        return (data: any) => data.auditEntryAdded.clientId === id;
      });
      await live.dispose();
    });

    it('runs only subscriptions; queries and mutations go to POST /graphql', async () => {
      const query = await errorOf('{ me { id } }');
      expect(query.extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ rule: 'request' }] });
      expect(query.message).toContain('POST /graphql');
    });
  });

  it('refuses a subscription sent over HTTP, saying where subscriptions run', async () => {
    const response = await test.gql('subscription { auditEntryAdded { id } }');
    expect(response.status).toBe(400);
    expect(response.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ field: 'query', rule: 'request' }] });
    expect(response.errors![0].message).toContain('WebSocket');
  });

  it('closes a connection whose message is larger than MAX_BODY_BYTES', async () => {
    const { token } = await test.caller('tenant-a');
    const live = connectLive(test, bearer(token));
    await live.connected;
    subscribe(live, `subscription { auditEntryAdded(filter: { actorId: "${'x'.repeat(5000)}" }) { id } }`);
    expect(await live.closed).toMatchObject({ code: 1009 });
    await live.dispose();
  });

  it('upgrades only /graphql: another path is answered 404', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const socket = new WebSocket(subscriptionUrl(test).replace(/\/graphql$/, '/elsewhere'), 'graphql-transport-ws');
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode));
      socket.on('open', () => reject(new Error('opened')));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(404);
  });
});

describe('a stopping server', () => {
  it('closes its subscription connections, going away', async () => {
    const test = await startTestApp();
    try {
      const { token } = await test.caller('tenant-a');
      const live = connectLive(test, bearer(token));
      const entries = subscribe<{ auditEntryAdded: { clientId: string } }>(live, ENTRIES);
      await untilListening(entries, async () => {
        const { id } = await addClient(test, {}, token);
        return (data) => data.auditEntryAdded.clientId === id;
      });
      const started = Date.now();
      await test.stop();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await live.closed).toMatchObject({ code: 1001 });
      await live.dispose();
    } finally {
      await test.dispose();
    }
  });
});
