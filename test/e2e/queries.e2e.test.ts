import { ROLES } from '../../src/auth';
import { loadPositionSeal } from '../../src/positions';
import { type GqlResponse, type TestApp, addClient, errorCode, startTestApp } from '../testing/testApp';

const PAGE = `query($filter: ClientFilter, $orderBy: ClientOrder, $first: Int, $after: String, $last: Int, $before: String) {
  authorizationCodeClients(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { name } }
    nodes { id name enabled tags }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

describe('queries: filters, order, Relay paging, audit trail, consistency', () => {
  let test: TestApp;
  const names = ['delta', 'Alpha', 'charlie', 'Bravo', 'echo', 'Ärger', 'foxtrot'];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    test = await startTestApp();
    for (const [i, name] of names.entries()) {
      ids[name] = (await addClient(test, { name, enabled: i % 2 === 0, tags: i < 3 ? ['web', `n${i}`] : ['native'] })).id;
    }
  });
  afterAll(() => test.dispose());

  it('orders by name, ignoring case, and pages forward and backward through every client once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const response: GqlResponse = await test.gql(PAGE, { first: 3, after });
      const connection = response.data.authorizationCodeClients as { nodes: { name: string }[]; pageInfo: Record<string, any>; totalCount: number };
      expect(connection.totalCount).toBe(names.length);
      seen.push(...connection.nodes.map((node: { name: string }) => node.name));
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen.map((name) => name.toLowerCase())).toEqual(
      [...names].map((name) => name.toLowerCase()).sort(),
    );

    const backward: string[] = [];
    let before: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const response: GqlResponse = await test.gql(PAGE, { last: 2, before });
      const connection = response.data.authorizationCodeClients as { nodes: { name: string }[]; pageInfo: Record<string, any>; totalCount: number };
      backward.unshift(...connection.nodes.map((node: { name: string }) => node.name));
      if (!connection.pageInfo.hasPreviousPage) break;
      before = connection.pageInfo.startCursor;
    }
    expect(backward).toEqual(seen);
  });

  it('filters by search (name or id part, any case), enabled, all tags and ids', async () => {
    const search = await test.gql(PAGE, { filter: { search: 'ÄRG' } });
    expect(search.data.authorizationCodeClients.nodes.map((n: { name: string }) => n.name)).toEqual(['Ärger']);
    const byId = await test.gql(PAGE, { filter: { search: ids.echo.slice(9, 18).toUpperCase() } });
    expect(byId.data.authorizationCodeClients.nodes.map((n: { name: string }) => n.name)).toEqual(['echo']);
    const enabled = await test.gql(PAGE, { filter: { enabled: false } });
    expect(enabled.data.authorizationCodeClients.nodes.map((n: { name: string }) => n.name).sort()).toEqual(['Alpha', 'Bravo', 'Ärger'].sort());
    const tags = await test.gql(PAGE, { filter: { tags: ['web', 'n1'] } });
    expect(tags.data.authorizationCodeClients.nodes.map((n: { name: string }) => n.name)).toEqual(['Alpha']);
    const both = await test.gql(PAGE, { filter: { ids: [ids.delta, ids.foxtrot.toUpperCase()], enabled: true } });
    expect(both.data.authorizationCodeClients.nodes.map((n: { name: string }) => n.name).sort()).toEqual(['delta', 'foxtrot']);
    expect(both.data.authorizationCodeClients.totalCount).toBe(2);
  });

  it('orders by creation time both ways; a cursor of another order is refused', async () => {
    const asc = await test.gql(PAGE, { orderBy: { field: 'CREATED_AT', direction: 'ASC' } });
    expect(asc.data.authorizationCodeClients.nodes.map((n: { name: string }) => n.name)).toEqual(names);
    const desc = await test.gql(PAGE, { orderBy: { field: 'CREATED_AT', direction: 'DESC' }, first: 2 });
    expect(desc.data.authorizationCodeClients.nodes.map((n: { name: string }) => n.name)).toEqual(['foxtrot', 'Ärger']);
    const foreign = await test.gql(PAGE, { orderBy: { field: 'NAME', direction: 'ASC' }, after: desc.data.authorizationCodeClients.pageInfo.endCursor });
    expect(errorCode(foreign)).toBe('BAD_USER_INPUT');
    expect(foreign.errors![0].extensions.violations[0]).toMatchObject({ field: 'after', rule: 'cursor' });
  });

  it('the audit trail filters by client, actor, action and time, newest first, and pages', async () => {
    const other = await test.caller('tenant-a', { subject: 'second-admin' });
    await test.gql(`mutation($i: DisableAuthorizationCodeClientInput!) { disableAuthorizationCodeClient(input: $i) { changed } }`, {
      i: { clientId: ids.delta, reason: 'paused' },
    }, { token: other.token });
    const byActor = await test.gql(`{ auditTrail(filter: { actorId: "second-admin" }) { totalCount nodes { action clientId clientName reason actor { id name } changes { field before after } } } }`);
    expect(byActor.data.auditTrail).toEqual({
      totalCount: 1,
      nodes: [
        {
          action: 'client.disabled',
          clientId: ids.delta,
          clientName: 'delta',
          reason: 'paused',
          actor: { id: 'second-admin', name: 'User of tenant-a' },
          changes: [{ field: 'enabled', before: true, after: false }],
        },
      ],
    });
    const all = await test.gql(`{ auditTrail(first: 100) { totalCount nodes { action occurredAt } } }`);
    const times = all.data.auditTrail.nodes.map((n: { occurredAt: string }) => n.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(all.data.auditTrail.nodes[0].action).toBe('client.disabled');

    const created = await test.gql(`{ auditTrail(filter: { actions: ["client.created"] }, first: 4) { totalCount pageInfo { hasNextPage endCursor } } }`);
    expect(created.data.auditTrail.totalCount).toBe(names.length);
    expect(created.data.auditTrail.pageInfo.hasNextPage).toBe(true);
    const future = await test.gql(`query($from: DateTime) { auditTrail(filter: { from: $from }) { totalCount } }`, {
      from: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(future.data.auditTrail.totalCount).toBe(0);
    const history = await test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { history(first: 1) { totalCount nodes { action } } } }`, { id: ids.delta });
    expect(history.data.authorizationCodeClient.history).toEqual({ totalCount: 2, nodes: [{ action: 'client.disabled' }] });
  });

  it('a query with Consistency-Position waits for that position; a malformed one is refused', async () => {
    const client = await test.gql(`mutation($i: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $i) { position client { id } } }`, {
      i: { name: 'Consistent', allowedRedirectUrls: ['https://c.example.com/cb'] },
    });
    const { position } = client.data.addAuthorizationCodeClient;
    const read = await test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { name } }`, { id: client.data.addAuthorizationCodeClient.client.id }, {
      headers: { 'Consistency-Position': position },
    });
    expect(read.data.authorizationCodeClient.name).toBe('Consistent');
    expect(read.extensions?.stale).toBeUndefined();
    // A position 1000 events ahead, sealed for the tenant with the server's key.
    const seal = loadPositionSeal({ kind: 'dataDir', dataDir: test.dataDir });
    const { commit } = seal.open('tenant-a', position)!;
    const ahead = seal.seal('tenant-a', { commit: commit + 1000n, prepare: commit + 1000n });
    const started = Date.now();
    const waiting = await test.gql('{ me { id } }', {}, { headers: { 'Consistency-Position': ahead } });
    expect(waiting.extensions?.stale).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
    const bad = await test.gql('{ me { id } }', {}, { headers: { 'Consistency-Position': 'yesterday' } });
    expect(bad.status).toBe(400);
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ field: 'Consistency-Position', rule: 'position' }] });
  }, 15_000);

  it('me answers the caller; GraphiQL, health and readiness answer without a token', async () => {
    const admin = await test.caller('tenant-z', { roles: [ROLES.administrator], subject: 'zed', name: 'Zed' });
    const me = await test.gql('{ me { id name tenantId roles canManageClients } }', {}, { token: admin.token });
    expect(me.data.me).toEqual({ id: 'zed', name: 'Zed', tenantId: 'tenant-z', roles: [ROLES.administrator], canManageClients: true });
    const page = await fetch(`${test.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('GraphiQL');
    const health = await fetch(`${test.url}/health`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${test.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', projections: [{ name: 'clientList', state: 'live' }, { name: 'auditTrail', state: 'live' }] });
  });
  it('refuses filters over their bounds in the words of every other refusal: field, rule, count', async () => {
    const manyIds = Array.from({ length: 101 }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
    const tooMany = await test.gql(PAGE, { filter: { ids: manyIds } });
    expect(tooMany.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      operationId: expect.any(String),
      violations: [{ field: 'ids', rule: 'tooMany', message: 'At most 100 entries are allowed here (101 were given)' }],
    });
    expect(tooMany.errors![0].message).toBe('At most 100 entries are allowed here (101 were given)');
    const tags = await test.gql(PAGE, { filter: { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) } });
    expect(tags.errors![0].extensions.violations).toEqual([
      { field: 'tags', rule: 'tooMany', message: 'At most 20 entries are allowed here (21 were given)' },
    ]);
    const search = await test.gql(PAGE, { filter: { search: 'é'.repeat(201) } });
    expect(search.errors![0].extensions.violations).toEqual([
      { field: 'search', rule: 'search', message: 'Search must be at most 200 characters long (it has 201)' },
    ]);
    const actions = await test.gql('query($f: AuditFilter) { auditTrail(filter: $f) { totalCount } }', {
      f: { actions: Array.from({ length: 51 }, () => 'client.created') },
    });
    expect(actions.errors![0].extensions.violations).toEqual([
      { field: 'actions', rule: 'tooMany', message: 'At most 50 entries are allowed here (51 were given)' },
    ]);
    const within = await test.gql(PAGE, { filter: { ids: manyIds.slice(0, 100), search: 'é'.repeat(200) } });
    expect(within.errors).toBeUndefined();
    // Characters, not UTF-16 units: 200 emoji are 200 characters.
    expect((await test.gql(PAGE, { filter: { search: '😀'.repeat(200) } })).errors).toBeUndefined();
    expect((await test.gql(PAGE, { filter: { search: '😀\uFE0F'.repeat(101) } })).errors![0].extensions.violations[0].message).toBe(
      'Search must be at most 200 characters long (it has 202)',
    );
  });
});
