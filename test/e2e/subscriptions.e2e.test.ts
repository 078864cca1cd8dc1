import { performance } from 'node:perf_hooks';
import { ROLES } from '../../src/auth';
import { type LiveClient, type LiveSubscription, bearer, connectLive, subscribe, untilListening } from '../testing/liveClient';
import { type Caller, type TestApp, addClient, startTestApp } from '../testing/testApp';

jest.setTimeout(60_000);

const ENTRY_FIELDS = 'id position occurredAt action clientId clientName actor { id name } reason operationId correlationId changes { field before after }';
const ENTRIES = `subscription($filter: AuditFilter) { auditEntryAdded(filter: $filter) { ${ENTRY_FIELDS} } }`;
const CLIENTS = 'subscription($id: ID) { authorizationCodeClientChanged(id: $id) { id name version deleted updatedAt tokenLifetime } }';
const RENAME = 'mutation($input: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $input) { changed operationId } }';
const DELETE = 'mutation($input: DeleteAuthorizationCodeClientInput!) { deleteAuthorizationCodeClient(input: $input) { changed } }';
const UPDATE = 'mutation($input: UpdateAuthorizationCodeClientInput!) { updateAuthorizationCodeClient(input: $input) { changed } }';

type Entry = { auditEntryAdded: Record<string, any> };
type Changed = { authorizationCodeClientChanged: Record<string, any> };

/** How long a test waits after a later event of its own before it concludes an event never arrives. */
const NEVER_MS = 300;

describe('subscriptions over graphql-ws', () => {
  let test: TestApp;
  let a: Caller;
  let b: Caller;
  const clients: LiveClient[] = [];
  const connect = (caller: Caller) => {
    const live = connectLive(test, bearer(caller.token));
    clients.push(live);
    return live;
  };
  const rename = async (caller: Caller, clientId: string, name: string) => {
    const response = await test.gql(RENAME, { input: { clientId, name } }, { token: caller.token });
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response;
  };
  /** Adds a client until the subscription shows an entry for it: then the server has registered the subscription. */
  const listening = (subscription: LiveSubscription<Entry>, caller: Caller) =>
    untilListening(subscription, async () => {
      const { id } = await addClient(test, { name: 'Probe' }, caller.token);
      return (data) => data.auditEntryAdded.clientId === id;
    });

  beforeAll(async () => {
    test = await startTestApp({ env: { MAX_QUERY_DEPTH: '5' } });
    a = await test.caller('tenant-a');
    b = await test.caller('tenant-b');
  });
  afterAll(async () => {
    await Promise.all(clients.map((live) => live.dispose()));
    await test.dispose();
  });

  it('delivers an entry within 100 ms of the answer of the mutation that made it, as the audit trail lists it', async () => {
    const entries = subscribe<Entry>(connect(a), ENTRIES);
    await listening(entries, a);
    const seen = entries.arrivals.length;
    const response = await test.gql(
      `mutation($input: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $input) { client { id } operationId } }`,
      { input: { name: 'Live one', allowedRedirectUrls: ['https://live.example.com/cb'], reason: 'watching' } },
      { token: a.token },
    );
    const answeredAt = performance.now();
    const { id } = response.data.addAuthorizationCodeClient.client;
    const arrival = await entries.waitFor((data) => data.auditEntryAdded.clientId === id, 5_000, seen);
    expect(arrival.at - answeredAt).toBeLessThan(100);
    const listed = await test.gql(`query($id: ID!) { auditTrail(filter: { clientId: $id }) { nodes { ${ENTRY_FIELDS} } } }`, { id }, { token: a.token });
    expect(arrival.result).toEqual({ data: { auditEntryAdded: listed.data.auditTrail.nodes[0] } });
    expect(arrival.result.data!.auditEntryAdded).toMatchObject({
      action: 'client.created',
      clientName: 'Live one',
      reason: 'watching',
      operationId: response.data.addAuthorizationCodeClient.operationId,
    });
  });

  it("never delivers another tenant's entries, in either direction", async () => {
    const ofA = subscribe<Entry>(connect(a), ENTRIES);
    const ofB = subscribe<Entry>(connect(b), ENTRIES);
    await Promise.all([listening(ofA, a), listening(ofB, b)]);
    const secretOfA = await addClient(test, { name: 'Secret of A' }, a.token);
    const secretOfB = await addClient(test, { name: 'Secret of B' }, b.token);
    // Later events of each tenant's own, then a while longer: an earlier foreign event would have come first.
    const laterOfA = await addClient(test, { name: 'Later of A' }, a.token);
    const laterOfB = await addClient(test, { name: 'Later of B' }, b.token);
    await ofA.waitFor((data) => data.auditEntryAdded.clientId === laterOfA.id);
    await ofB.waitFor((data) => data.auditEntryAdded.clientId === laterOfB.id);
    await new Promise((resolve) => setTimeout(resolve, NEVER_MS));
    const idsOf = (subscription: LiveSubscription<Entry>) => subscription.arrivals.map((arrival) => arrival.result.data?.auditEntryAdded.clientId);
    expect(idsOf(ofA)).toContain(secretOfA.id);
    expect(idsOf(ofA)).not.toContain(secretOfB.id);
    expect(idsOf(ofA)).not.toContain(laterOfB.id);
    expect(idsOf(ofB)).toContain(secretOfB.id);
    expect(idsOf(ofB)).not.toContain(secretOfA.id);
    expect(idsOf(ofB)).not.toContain(laterOfA.id);
    expect(ofA.arrivals.every((arrival) => arrival.result.errors === undefined)).toBe(true);
  });

  it('applies the filter as auditTrail does: client id, actor, actions and times', async () => {
    const watched = await addClient(test, { name: 'Watched' }, a.token);
    const other = await addClient(test, { name: 'Not watched' }, a.token);
    const colleague = await test.caller('tenant-a', { subject: 'user-colleague' });
    const live = connect(a);
    const everything = subscribe<Entry>(live, ENTRIES);
    const filtered = {
      byClientAndAction: subscribe<Entry>(live, ENTRIES, { filter: { clientId: ` ${watched.id.toUpperCase()} `, actions: ['client.renamed'] } }),
      byActor: subscribe<Entry>(live, ENTRIES, { filter: { actorId: 'user-colleague' } }),
      noActions: subscribe<Entry>(live, ENTRIES, { filter: { actions: [] } }),
      past: subscribe<Entry>(live, ENTRIES, { filter: { to: '2020-01-01T00:00:00Z' } }),
      future: subscribe<Entry>(live, ENTRIES, { filter: { from: '2999-01-01T00:00:00Z' } }),
      now: subscribe<Entry>(live, ENTRIES, { filter: { from: '2020-01-01T00:00:00Z', to: '2999-01-01T00:00:00Z', clientId: watched.id } }),
    };
    await listening(everything, a);
    await untilListening(filtered.byClientAndAction, async () => {
      const name = `Watched ${Math.random()}`;
      await rename(a, watched.id, name);
      return (data) => data.auditEntryAdded.clientName === name;
    });
    const mark = everything.arrivals.length;
    await rename(colleague, other.id, 'Renamed by a colleague');
    await rename(a, other.id, 'Renamed again');
    await rename(a, watched.id, 'Watched, renamed');
    await everything.waitFor((data) => data.auditEntryAdded.clientName === 'Watched, renamed', 5_000, mark);
    await new Promise((resolve) => setTimeout(resolve, NEVER_MS));
    const names = (subscription: LiveSubscription<Entry>) => subscription.arrivals.map((arrival) => arrival.result.data!.auditEntryAdded.clientName);
    expect(names(filtered.byClientAndAction).at(-1)).toBe('Watched, renamed');
    expect(new Set(filtered.byClientAndAction.arrivals.map((arrival) => arrival.result.data!.auditEntryAdded.action))).toEqual(new Set(['client.renamed']));
    expect(names(filtered.byActor)).toEqual(['Renamed by a colleague']);
    expect(names(filtered.noActions)).toEqual([]);
    expect(names(filtered.past)).toEqual([]);
    expect(names(filtered.future)).toEqual([]);
    expect(names(filtered.now).at(-1)).toBe('Watched, renamed');
    expect(names(filtered.now)).not.toContain('Renamed again');
  });

  it('delivers a changed client: with an id only that one, without one every client of the tenant, a deletion as deleted', async () => {
    const followed = await addClient(test, { name: 'Followed' }, a.token);
    const other = await addClient(test, { name: 'Other' }, a.token);
    const one = subscribe<Changed>(connect(a), CLIENTS, { id: followed.id });
    const all = subscribe<Changed>(connect(a), CLIENTS);
    const theirs = subscribe<Changed>(connect(b), CLIENTS);
    const theirsWithId = subscribe<Changed>(connect(b), CLIENTS, { id: followed.id });
    for (const subscription of [one, all]) {
      await untilListening(subscription, async () => {
        const name = `Followed ${Math.random()}`;
        await rename(a, followed.id, name);
        return (data) => data.authorizationCodeClientChanged.name === name;
      });
    }
    const mark = { one: one.arrivals.length, all: all.arrivals.length };
    await rename(a, other.id, 'Other, renamed');
    const updated = await test.gql(UPDATE, { input: { clientId: followed.id, name: 'Followed, updated', tokenLifetime: 600 } }, { token: a.token });
    expect(updated.data.updateAuthorizationCodeClient.changed).toBe(true);
    const read = await test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { id name version deleted updatedAt tokenLifetime } }`, { id: followed.id }, { token: a.token });
    await test.gql(DELETE, { input: { clientId: followed.id } }, { token: a.token });
    const deletion = await one.waitFor((data) => data.authorizationCodeClientChanged.deleted, 5_000, mark.one);
    await all.waitFor((data) => data.authorizationCodeClientChanged.deleted, 5_000, mark.all);
    await addClient(test, { name: 'Later of B' }, b.token);
    await theirs.waitFor((data) => data.authorizationCodeClientChanged.name === 'Later of B');
    await new Promise((resolve) => setTimeout(resolve, NEVER_MS));

    const changes = (subscription: LiveSubscription<Changed>, from: number) =>
      subscription.arrivals.slice(from).map((arrival) => arrival.result.data!.authorizationCodeClientChanged);
    // The update's two events were committed together: one change, the state queries then answer.
    expect(changes(one, mark.one)).toEqual([read.data.authorizationCodeClient, deletion.result.data!.authorizationCodeClientChanged]);
    expect(read.data.authorizationCodeClient).toMatchObject({ name: 'Followed, updated', tokenLifetime: 600, deleted: false });
    expect(deletion.result.data!.authorizationCodeClientChanged).toMatchObject({
      id: followed.id,
      name: 'Followed, updated',
      deleted: true,
      version: read.data.authorizationCodeClient.version + 1,
    });
    expect(changes(all, mark.all).map((client) => [client.name, client.deleted])).toEqual([
      ['Other, renamed', false],
      ['Followed, updated', false],
      ['Followed, updated', true],
    ]);
    expect(changes(theirs, 0).map((client) => client.name)).toEqual(['Later of B']);
    expect(theirsWithId.arrivals).toEqual([]);
  });

  it('lets a Tenant Auditor subscribe', async () => {
    const auditor = await test.caller('tenant-a', { roles: [ROLES.auditor], subject: 'auditor-1' });
    const entries = subscribe<Entry>(connect(auditor), ENTRIES);
    await listening(entries, a);
    expect(entries.arrivals.at(-1)!.result.data!.auditEntryAdded.action).toBe('client.created');
  });
});
