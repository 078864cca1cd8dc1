import fc from 'fast-check';
import { clientListProjection } from '../../projections';
import { type ClientState, evolve, initialState } from '../../src/domain/client';
import { type ReadModelDatabase, getClient, listClients, searchKey } from '../../src/readmodel';
import {
  ADMIN,
  TENANT_A,
  TENANT_B,
  type GivenClientEvent,
  type ProjectionWorld,
  given,
  metadataFor,
  minute,
  openProjectionWorld,
  runProjections,
} from '../testing/projectionSpecification';
import { AUDITOR_BOB, CLIENT_IDS, arbitraryHistory, richHistory } from './histories';

// Real files and many runs: allow for a loaded machine.
jest.setTimeout(60_000);

const [portal, shop, deleted, other] = CLIENT_IDS;

describe('client list projection', () => {
  it('holds one row per client with its settings, version, position, times and creator', async () => {
    const tables = await given(richHistory(), [clientListProjection])
      .whenReplayedTwice()
      .then({
        clients: [
          {
            id: portal,
            tenant_id: TENANT_A,
            name: 'Customer portal (EU)',
            name_search: 'customer portal (eu)',
            enabled: 0,
            token_lifetime: 900,
            allowed_redirect_urls: JSON.stringify(['com.example.app:/callback']),
            allowed_logout_redirect_urls: '[]',
            allowed_cors_origins: JSON.stringify(['https://admin.example.com']),
            client_uri: 'https://portal.example.com',
            logo_uri: 'https://portal.example.com/logo.png',
            tags: JSON.stringify(['prod', 'team:blue']),
            version: 14,
            position: '18.18',
            created_at: minute(0),
            updated_at: minute(17),
            // Renamed by Bob, but Ada created it.
            created_by_id: ADMIN.id,
            created_by_name: ADMIN.name,
            deleted: 0,
          },
          {
            id: shop,
            name: 'Ärzte Shop',
            name_search: 'ärzte shop',
            enabled: 1,
            token_lifetime: 600,
            client_uri: null,
            version: 4,
            position: '22.22',
            created_at: minute(1),
            updated_at: minute(21),
            deleted: 0,
          },
          { id: other, tenant_id: TENANT_B, tags: JSON.stringify(['prod', 'b-only']), version: 2, position: '19.19', deleted: 0 },
          { id: deleted, name: 'Short lived', version: 2, position: '20.20', created_at: minute(8), updated_at: minute(19), deleted: 1 },
        ],
      });
    const tags = tables.client_tags.map((row) => [row.client_id, row.tenant_id, row.tag]).sort();
    expect(tags).toEqual(
      [
        [portal, TENANT_A, 'prod'],
        [portal, TENANT_A, 'team:blue'],
        [other, TENANT_B, 'prod'],
        [other, TENANT_B, 'b-only'],
      ].sort(),
    );
    expect(tables.audit_entries).toBeUndefined();
  });

  describe('as the queries see it', () => {
    let world: ProjectionWorld;
    let readModel: ReadModelDatabase;
    beforeAll(async () => {
      world = openProjectionWorld();
      await world.append(richHistory());
      readModel = world.readModel();
      await runProjections(world.store, readModel);
    });
    afterAll(async () => {
      await world.dispose();
    });
    const db = () => readModel;

    it('answers a client with Date times, creator and the position of its latest event', () => {
      const view = getClient(db(), TENANT_A, portal)!;
      expect(view).toEqual({
        id: portal,
        tenantId: TENANT_A,
        name: 'Customer portal (EU)',
        enabled: false,
        tokenLifetime: 900,
        allowedRedirectUrls: ['com.example.app:/callback'],
        allowedLogoutRedirectUrls: [],
        allowedCorsOrigins: ['https://admin.example.com'],
        clientUri: 'https://portal.example.com',
        logoUri: 'https://portal.example.com/logo.png',
        tags: ['prod', 'team:blue'],
        version: 14,
        position: `${world.places[17].position.commit}.${world.places[17].position.prepare}`,
        createdAt: new Date(minute(0)),
        updatedAt: new Date(minute(17)),
        createdBy: { id: ADMIN.id, name: ADMIN.name },
      });
      expect(getClient(db(), TENANT_A, `  ${portal.toUpperCase()} `)?.id).toBe(portal);
    });

    it('hides a deleted client from getClient, listClients, counts and tag filters', () => {
      expect(getClient(db(), TENANT_A, deleted)).toBeNull();
      const page = listClients(db(), TENANT_A, {}, { field: 'NAME', direction: 'ASC' }, {});
      expect(page.edges.map((edge) => edge.node.id)).not.toContain(deleted);
      expect(page.totalCount).toBe(2);
      expect(listClients(db(), TENANT_A, { tags: ['tmp'] }, { field: 'NAME', direction: 'ASC' }, {}).totalCount).toBe(0);
      expect(listClients(db(), TENANT_A, { ids: [deleted] }, { field: 'NAME', direction: 'ASC' }, {}).totalCount).toBe(0);
      expect(listClients(db(), TENANT_A, { search: 'short' }, { field: 'NAME', direction: 'ASC' }, {}).totalCount).toBe(0);
    });

    it('answers null for a client of another tenant', () => {
      expect(getClient(db(), TENANT_B, portal)).toBeNull();
      expect(getClient(db(), TENANT_A, other)).toBeNull();
      expect(getClient(db(), TENANT_B, other)?.tags).toEqual(['prod', 'b-only']);
    });
  });

  it('for random histories, every row is the fold of its events and the tags table mirrors the live rows (property)', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryHistory(40), async (history) => {
        const tables = await given(history, [clientListProjection]).whenReplayedTwice().then({});
        const expected = new Map<string, { state: ClientState; events: GivenClientEvent[]; index: number[] }>();
        history.forEach((given, index) => {
          const id = given.event.data.clientId;
          const entry = expected.get(id) ?? { state: initialState, events: [], index: [] };
          entry.state = evolve(entry.state, given.event);
          entry.events.push(given);
          entry.index.push(index);
          expected.set(id, entry);
        });
        expect(tables.clients.map((row) => row.id).sort()).toEqual([...expected.keys()].sort());
        for (const row of tables.clients) {
          const { state, events, index } = expected.get(row.id as string)!;
          if (state.status === 'absent') throw new Error('a row for a client never created');
          const { client } = state;
          const first = metadataFor(index[0], events[0].metadata);
          const last = metadataFor(index.at(-1)!, events.at(-1)!.metadata);
          expect(row).toEqual({
            '@rowid': row['@rowid'],
            id: client.id,
            tenant_id: client.tenantId,
            name: client.name,
            name_search: searchKey(client.name),
            enabled: client.enabled ? 1 : 0,
            token_lifetime: client.tokenLifetime,
            allowed_redirect_urls: JSON.stringify(client.allowedRedirectUrls),
            allowed_logout_redirect_urls: JSON.stringify(client.allowedLogoutRedirectUrls),
            allowed_cors_origins: JSON.stringify(client.allowedCorsOrigins),
            client_uri: client.clientUri,
            logo_uri: client.logoUri,
            tags: JSON.stringify(client.tags),
            version: events.length,
            position: `${index.at(-1)! + 1}.${index.at(-1)! + 1}`,
            created_at: first.occurredAt,
            updated_at: last.occurredAt,
            created_by_id: first.actor.id,
            created_by_name: first.actor.name,
            deleted: state.status === 'deleted' ? 1 : 0,
          });
        }
        const liveTags = tables.clients
          .filter((row) => row.deleted === 0)
          .flatMap((row) => (JSON.parse(row.tags as string) as string[]).map((tag) => [row.id, row.tenant_id, tag]));
        expect(tables.client_tags.map((row) => [row.client_id, row.tenant_id, row.tag]).sort()).toEqual(liveTags.sort());
      }),
      { numRuns: 30 },
    );
  });

  it('keeps the creator when someone else changes the client', async () => {
    const tables = await given([
      { event: { type: 'ClientCreated', data: richHistory()[0].event.data } as GivenClientEvent['event'] },
      { event: { type: 'ClientRenamed', data: { clientId: portal, name: 'Renamed by Bob' } }, metadata: { actor: AUDITOR_BOB } },
    ])
      .whenProjected()
      .then({ clients: [{ name: 'Renamed by Bob', created_by_id: ADMIN.id, created_by_name: ADMIN.name, version: 2 }] });
    expect(tables.clients[0].updated_at).toBe(minute(1));
  });
});
