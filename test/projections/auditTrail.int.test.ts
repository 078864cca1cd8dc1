import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { AUDIT_ACTIONS, auditTrailProjection } from '../../projections';
import { CLIENT_EVENT_TYPES, type Client, type ClientState, evolve, initialState } from '../../src/domain/client';
import { entryLeafHash, toHex } from '../../src/audit/logEntry';
import { MemoryMerkleTree, treeHash } from '../../src/audit/merkle';
import {
  type AuditRow,
  type FieldChange,
  type ReadModelDatabase,
  auditLogSize,
  auditLogSubtrees,
  listAuditEntries,
  logEntryOf,
} from '../../src/readmodel';
import {
  ADMIN,
  TENANT_A,
  TENANT_B,
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

const FIELDS = [
  'name',
  'enabled',
  'tokenLifetime',
  'allowedRedirectUrls',
  'allowedLogoutRedirectUrls',
  'allowedCorsOrigins',
  'clientUri',
  'logoUri',
  'tags',
] as const satisfies readonly (keyof Client)[];

/** The changes an auditor should read for one step, worked out independently of the projection. */
const expectedChanges = (before: ClientState, after: ClientState): FieldChange[] => {
  if (before.status === 'absent' && after.status === 'active') {
    return FIELDS.map((field) => ({ field, before: null, after: after.client[field] }));
  }
  if (before.status === 'active' && after.status === 'deleted') return [{ field: 'deleted', before: false, after: true }];
  if (before.status !== 'active' || after.status !== 'active') return [];
  return FIELDS.filter((field) => JSON.stringify(before.client[field]) !== JSON.stringify(after.client[field])).map((field) => ({
    field,
    before: before.client[field],
    after: after.client[field],
  }));
};

/** The audit rows of `richHistory`, oldest first, as changes and the fields that identify them. */
const RICH_CHANGES: [string, string, FieldChange[]][] = [
  [portal, 'client.created', [
    { field: 'name', before: null, after: 'Customer Portal' },
    { field: 'enabled', before: null, after: true },
    { field: 'tokenLifetime', before: null, after: 3600 },
    { field: 'allowedRedirectUrls', before: null, after: ['https://app.example.com/callback'] },
    { field: 'allowedLogoutRedirectUrls', before: null, after: [] },
    { field: 'allowedCorsOrigins', before: null, after: ['https://portal.example.com'] },
    { field: 'clientUri', before: null, after: null },
    { field: 'logoUri', before: null, after: null },
    { field: 'tags', before: null, after: ['prod', 'spa'] },
  ]],
  [shop, 'client.created', [
    { field: 'name', before: null, after: 'Ärzte Shop' },
    { field: 'enabled', before: null, after: false },
    { field: 'tokenLifetime', before: null, after: 600 },
    { field: 'allowedRedirectUrls', before: null, after: ['https://app.example.com/callback'] },
    { field: 'allowedLogoutRedirectUrls', before: null, after: [] },
    { field: 'allowedCorsOrigins', before: null, after: [] },
    { field: 'clientUri', before: null, after: 'https://shop.example.com' },
    { field: 'logoUri', before: null, after: null },
    { field: 'tags', before: null, after: [] },
  ]],
  [other, 'client.created', expect.any(Array) as FieldChange[]],
  [portal, 'client.renamed', [{ field: 'name', before: 'Customer Portal', after: 'Customer portal (EU)' }]],
  [portal, 'client.token_lifetime.changed', [{ field: 'tokenLifetime', before: 3600, after: 900 }]],
  [portal, 'client.redirect_url.added', [
    { field: 'allowedRedirectUrls', before: ['https://app.example.com/callback'], after: ['https://app.example.com/callback', 'com.example.app:/callback'] },
  ]],
  [portal, 'client.redirect_url.removed', [
    { field: 'allowedRedirectUrls', before: ['https://app.example.com/callback', 'com.example.app:/callback'], after: ['com.example.app:/callback'] },
  ]],
  [portal, 'client.logout_redirect_url.added', [{ field: 'allowedLogoutRedirectUrls', before: [], after: ['https://portal.example.com/bye'] }]],
  [deleted, 'client.created', expect.any(Array) as FieldChange[]],
  [portal, 'client.logout_redirect_url.removed', [{ field: 'allowedLogoutRedirectUrls', before: ['https://portal.example.com/bye'], after: [] }]],
  [portal, 'client.cors_origin.added', [
    { field: 'allowedCorsOrigins', before: ['https://portal.example.com'], after: ['https://portal.example.com', 'https://admin.example.com'] },
  ]],
  [portal, 'client.cors_origin.removed', [
    { field: 'allowedCorsOrigins', before: ['https://portal.example.com', 'https://admin.example.com'], after: ['https://admin.example.com'] },
  ]],
  [shop, 'client.enabled', [{ field: 'enabled', before: false, after: true }]],
  [portal, 'client.disabled', [{ field: 'enabled', before: true, after: false }]],
  [portal, 'client.client_uri.changed', [{ field: 'clientUri', before: null, after: 'https://portal.example.com' }]],
  [portal, 'client.logo_uri.changed', [{ field: 'logoUri', before: null, after: 'https://portal.example.com/logo.png' }]],
  [portal, 'client.tag.added', [{ field: 'tags', before: ['prod', 'spa'], after: ['prod', 'spa', 'team:blue'] }]],
  [portal, 'client.tag.removed', [{ field: 'tags', before: ['prod', 'spa', 'team:blue'], after: ['prod', 'team:blue'] }]],
  [other, 'client.tag.added', [{ field: 'tags', before: ['prod'], after: ['prod', 'b-only'] }]],
  [deleted, 'client.deleted', [{ field: 'deleted', before: false, after: true }]],
  [shop, 'client.client_uri.changed', [{ field: 'clientUri', before: 'https://shop.example.com', after: null }]],
  // A registration access token changes no setting, and its hash is never shown.
  [shop, 'client.registration_token.issued', []],
];

describe('audit trail projection', () => {
  it('names every event type with its documented action', () => {
    expect(Object.keys(AUDIT_ACTIONS).sort()).toEqual([...CLIENT_EVENT_TYPES].sort());
    expect(new Set(Object.values(AUDIT_ACTIONS)).size).toBe(CLIENT_EVENT_TYPES.length);
    expect(AUDIT_ACTIONS).toMatchObject({
      ClientCreated: 'client.created',
      RedirectUrlAdded: 'client.redirect_url.added',
      ClientDeleted: 'client.deleted',
    });
    // The hand-written history exercises every one of them.
    expect(new Set(richHistory().map((given) => given.event.type))).toEqual(new Set(CLIENT_EVENT_TYPES));
  });

  it('writes one entry per event with its action, client, name after the event, and before/after of each changed field', async () => {
    const tables = await given(richHistory(), [auditTrailProjection])
      .whenReplayedTwice()
      .then({
        audit_entries: RICH_CHANGES.map(([clientId, action], index) => ({
          seq: index + 1,
          position: `${index + 1}.${index + 1}`,
          client_id: clientId,
          action,
          occurred_at: minute(index),
          operation_id: `op-${index}`,
          correlation_id: `corr-${index}`,
        })),
      });
    tables.audit_entries.forEach((row, index) => {
      expect({ action: row.action, changes: JSON.parse(row.changes as string) as unknown }).toEqual({
        action: RICH_CHANGES[index][1],
        changes: RICH_CHANGES[index][2],
      });
    });
    const rename = tables.audit_entries[3];
    expect(rename).toMatchObject({
      client_name: 'Customer portal (EU)',
      actor_id: AUDITOR_BOB.id,
      actor_name: null,
      reason: 'GDPR split',
      tenant_id: TENANT_A,
    });
    expect(tables.audit_entries[19]).toMatchObject({ action: 'client.deleted', client_name: 'Short lived', reason: 'Not needed' });
    expect(tables.audit_entries[18]).toMatchObject({ tenant_id: TENANT_B, client_name: 'Other tenant app' });
    expect(tables.audit_entries[0]).toMatchObject({ actor_id: ADMIN.id, actor_name: ADMIN.name, reason: null });
  });

  describe('as the query answers it', () => {
    let world: ProjectionWorld;
    let db: ReadModelDatabase;
    beforeAll(async () => {
      world = openProjectionWorld();
      await world.append(richHistory());
      db = world.readModel();
      await runProjections(world.store, db);
    });
    afterAll(async () => {
      await world.dispose();
    });

    it('lists newest first with ids, positions, Date times, actor, reason and parsed changes', () => {
      const page = listAuditEntries(db, TENANT_A, {}, { first: 100 });
      const ownPlaces = world.places.filter((_, index) => ![2, 18].includes(index));
      expect(page.edges.map((edge) => edge.node.id)).toEqual(ownPlaces.map((place) => place.id).reverse());
      expect(page.totalCount).toBe(20);
      const rename = page.edges.find((edge) => edge.node.action === 'client.renamed')!.node;
      // The canonical bytes written out by hand (RFC 8785: members sorted, no spaces): docs/audit.md's format.
      const canonical =
        `{"action":"client.renamed","actor":{"id":${JSON.stringify(AUDITOR_BOB.id)},"name":null},` +
        '"changes":[{"after":"Customer portal (EU)","before":"Customer Portal","field":"name"}],' +
        `"clientId":"${portal}","clientName":"Customer portal (EU)","correlationId":"corr-3",` +
        `"eventId":"${world.places[3].id}","leafIndex":2,"occurredAt":"${new Date(minute(3)).toISOString()}",` +
        `"operationId":"op-3","reason":"GDPR split","tenantId":"${TENANT_A}","version":2}`;
      expect(rename).toEqual({
        id: world.places[3].id,
        position: `${world.places[3].position.commit}.${world.places[3].position.prepare}`,
        leafIndex: 2,
        leafHash: createHash('sha256').update(Buffer.from([0])).update(canonical, 'utf8').digest('hex'),
        occurredAt: new Date(minute(3)),
        action: 'client.renamed',
        clientId: portal,
        clientName: 'Customer portal (EU)',
        version: 2,
        actor: { id: AUDITOR_BOB.id, name: null },
        reason: 'GDPR split',
        operationId: 'op-3',
        correlationId: 'corr-3',
        changes: [{ field: 'name', before: 'Customer Portal', after: 'Customer portal (EU)' }],
      });
    });

    it("makes each tenant's entries the leaves 0..n-1 of its own Merkle tree, in the order recorded", () => {
      for (const [tenant, count] of [[TENANT_A, 20], [TENANT_B, 2]] as const) {
        const rows = db
          .prepare<[string], AuditRow>('SELECT * FROM audit_entries WHERE tenant_id = ? ORDER BY seq')
          .all(tenant);
        expect(rows.map((row) => row.leaf_index)).toEqual([...Array(count).keys()]);
        const tree = new MemoryMerkleTree();
        for (const row of rows) {
          const hash = entryLeafHash(logEntryOf(row));
          expect(row.leaf_hash).toBe(toHex(hash));
          tree.append(hash);
        }
        expect(auditLogSize(db, tenant)).toBe(count);
        const stored = auditLogSubtrees(db, tenant);
        for (let size = 0; size <= count; size += 1) expect(toHex(treeHash(stored, size))).toBe(toHex(tree.root(size)));
      }
    });

    it('keeps the history of a deleted client', () => {
      const page = listAuditEntries(db, TENANT_A, { clientId: deleted }, {});
      expect(page.edges.map((edge) => edge.node.action)).toEqual(['client.deleted', 'client.created']);
    });
  });

  it('for random histories, records each event once with exactly the fields it changed (property)', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryHistory(40), async (history) => {
        const tables = await given(history, [auditTrailProjection]).whenReplayedTwice().then({});
        expect(tables.audit_entries).toHaveLength(history.length);
        const states = new Map<string, ClientState>();
        history.forEach((givenEvent, index) => {
          const { event } = givenEvent;
          const before = states.get(event.data.clientId) ?? initialState;
          const after = evolve(before, event);
          states.set(event.data.clientId, after);
          const metadata = metadataFor(index, givenEvent.metadata);
          const row = tables.audit_entries[index];
          expect(row).toMatchObject({
            seq: index + 1,
            position: `${index + 1}.${index + 1}`,
            tenant_id: metadata.tenantId,
            client_id: event.data.clientId,
            client_name: after.status === 'absent' ? '' : after.client.name,
            action: AUDIT_ACTIONS[event.type],
            occurred_at: metadata.occurredAt,
            actor_id: metadata.actor.id,
            actor_name: metadata.actor.name,
            reason: metadata.reason,
            operation_id: metadata.operationId,
            correlation_id: metadata.correlationId,
          });
          expect(JSON.parse(row.changes as string)).toEqual(expectedChanges(before, after));
        });
      }),
      { numRuns: 30 },
    );
  });
});
