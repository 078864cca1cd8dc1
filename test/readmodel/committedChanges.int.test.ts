import fc from 'fast-check';
import { AUDIT_ACTIONS } from '../../projections';
import { type AuditFilter, type ReadModelDatabase, committedAuditEntries, committedClients, getClient, listAuditEntries } from '../../src/readmodel';
import { TENANT_A, TENANT_B, type ProjectionWorld, minute, openProjectionWorld, runProjections } from '../testing/projectionSpecification';
import { AUDITOR_BOB, CLIENT_IDS, richHistory } from '../projections/histories';

jest.setTimeout(60_000);

describe('what the live feed reads of committed changes', () => {
  let world: ProjectionWorld;
  let db: ReadModelDatabase;
  beforeAll(async () => {
    world = openProjectionWorld();
    await world.append(richHistory());
    db = world.readModel();
    await runProjections(world.store, db);
  });
  afterAll(() => world.dispose());

  it('reads the entries of given events, every tenant, in the order recorded, as the audit trail shows them', () => {
    const ids = world.places.map((place) => place.id);
    const entries = committedAuditEntries(db, [...ids].reverse());
    expect(entries.map(({ entry }) => entry.id)).toEqual(ids);
    expect(new Set(entries.map(({ tenantId }) => tenantId))).toEqual(new Set([TENANT_A, TENANT_B]));
    const listed = listAuditEntries(db, TENANT_A, {}, { first: 100 }).edges.map((edge) => edge.node);
    expect(entries.filter(({ tenantId }) => tenantId === TENANT_A).map(({ entry }) => entry)).toEqual([...listed].reverse());
    expect(committedAuditEntries(db, [])).toEqual([]);
  });

  it('matches an audit filter exactly when the audit trail query lists the entry', () => {
    const entries = committedAuditEntries(db, world.places.map((place) => place.id));
    const clientIds = [...CLIENT_IDS, ` ${CLIENT_IDS[0].toUpperCase()} `, ''];
    const actions = Object.values(AUDIT_ACTIONS);
    const time = fc.integer({ min: -1, max: world.places.length + 1 }).map((n) => new Date(minute(n)));
    const filter: fc.Arbitrary<AuditFilter> = fc.record(
      {
        clientId: fc.option(fc.constantFrom(...clientIds)),
        actorId: fc.option(fc.constantFrom('user-ada', AUDITOR_BOB.id, 'nobody', '')),
        actions: fc.option(fc.subarray(actions)),
        from: fc.option(time),
        to: fc.option(time),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(filter, fc.constantFrom(TENANT_A, TENANT_B), (given, tenantId) => {
        const listed = listAuditEntries(db, tenantId, given, { first: 100 }).edges.map((edge) => edge.node.id);
        const matched = entries.filter((entry) => entry.tenantId === tenantId && entry.matches(given)).map(({ entry }) => entry.id);
        expect(matched).toEqual([...listed].reverse());
      }),
      { numRuns: 300 },
    );
  });

  it('reads clients as they now are, a deleted one with its last settings and deleted: true', () => {
    const [portal, , deleted] = CLIENT_IDS;
    const clients = committedClients(db, [portal, deleted, '00000000-0000-4000-8000-00000000dead']);
    expect(clients.map((client) => [client.id, client.deleted]).sort()).toEqual([[deleted, true], [portal, false]].sort());
    const live = clients.find((client) => client.id === portal)!;
    expect({ ...live, deleted: undefined }).toEqual({ ...getClient(db, TENANT_A, portal), deleted: undefined });
    const gone = clients.find((client) => client.id === deleted)!;
    expect(gone).toMatchObject({ name: 'Short lived', tenantId: TENANT_A });
    expect(getClient(db, TENANT_A, deleted)).toBeNull();
  });
});
