import fc from 'fast-check';
import { AUDIT_ACTIONS } from '../../projections';
import { type ClientEvent } from '../../src/domain/client';
import { LimitExceededError, ValidationError } from '../../src/errors';
import { positionToToken } from '../../src/eventstore';
import {
  type AuditEntryView,
  type AuditFilter,
  type Page,
  type ReadModelDatabase,
  listAuditEntries,
  listClients,
} from '../../src/readmodel';
import {
  ADMIN,
  type GivenClientEvent,
  TENANT_A,
  TENANT_B,
  type ProjectionWorld,
  created,
  metadataFor,
  minute,
  openProjectionWorld,
  runProjections,
} from '../testing/projectionSpecification';
import { uuidFor } from './clientFixtures';

// Real files and many runs: allow for a loaded machine.
jest.setTimeout(60_000);

const ACTORS = [ADMIN, { id: 'user-bob', name: null }, { id: 'user-cy', name: 'Cy' }];
const A_CLIENTS = [0, 1, 2, 3].map((n) => uuidFor(`audit-a-${n}`));
const B_CLIENT = uuidFor('audit-b-0');

/** An entry as the tests expect it, from the history alone. */
interface ModelEntry {
  id: string;
  position: string;
  tenantId: string;
  clientId: string;
  action: string;
  actorId: string;
  occurredAt: string;
}

/**
 * 4 clients of tenant A created, then 120 changes cycling over them and three actors, two
 * events per minute (so time bounds meet ties); tenant B's client changes in between.
 */
const auditHistory = (): GivenClientEvent[] => {
  const history: GivenClientEvent[] = A_CLIENTS.map((id, n) => ({ event: created(id, { name: `Audited ${n}` }), metadata: { occurredAt: minute(0) } }));
  history.push({ event: created(B_CLIENT, { tenantId: TENANT_B, name: 'B audited' }), metadata: { occurredAt: minute(0), tenantId: TENANT_B } });
  for (let i = 0; i < 120; i += 1) {
    const clientId = A_CLIENTS[i % 4];
    const event: ClientEvent =
      i % 3 === 0
        ? { type: 'ClientRenamed', data: { clientId, name: `Name ${i}` } }
        : i % 3 === 1
          ? { type: 'TagAdded', data: { clientId, tag: `t${i}` } }
          : { type: 'TokenLifetimeChanged', data: { clientId, seconds: 60 + i } };
    history.push({
      event,
      metadata: { occurredAt: minute(1 + Math.floor(i / 2)), actor: { ...ACTORS[i % 3] }, reason: i % 4 === 0 ? `reason ${i}` : null },
    });
    if (i % 30 === 0) {
      history.push({
        event: { type: 'ClientRenamed', data: { clientId: B_CLIENT, name: `B ${i}` } },
        metadata: { occurredAt: minute(1 + Math.floor(i / 2)), tenantId: TENANT_B, actor: { ...ACTORS[0] } },
      });
    }
  }
  return history;
};

let world: ProjectionWorld;
let db: ReadModelDatabase;
let model: ModelEntry[];

beforeAll(async () => {
  world = openProjectionWorld();
  const history = auditHistory();
  const places = await world.append(history);
  db = world.readModel();
  await runProjections(world.store, db);
  model = history
    .map((given, index) => {
      const metadata = metadataFor(index, given.metadata);
      return {
        id: places[index].id,
        position: positionToToken(places[index].position),
        tenantId: metadata.tenantId,
        clientId: given.event.data.clientId,
        action: AUDIT_ACTIONS[given.event.type],
        actorId: metadata.actor.id,
        occurredAt: metadata.occurredAt,
      };
    })
    .reverse();
});
afterAll(async () => {
  await world.dispose();
});

const ids = (page: Page<AuditEntryView>) => page.edges.map((edge) => edge.node.id);
const expectedIds = (keep: (entry: ModelEntry) => boolean, tenantId = TENANT_A) =>
  model.filter((entry) => entry.tenantId === tenantId && keep(entry)).map((entry) => entry.id);

/** Walks the whole filtered trail with pages of `size`, checking the flags; answers the ids. */
const walk = (filter: AuditFilter, size: number, tenantId = TENANT_A): string[] => {
  const seen: string[] = [];
  let after: string | null = null;
  for (let pageNo = 0; ; pageNo += 1) {
    const page = listAuditEntries(db, tenantId, filter, { first: size, after });
    expect(page.hasPreviousPage).toBe(pageNo > 0);
    seen.push(...ids(page));
    if (!page.hasNextPage) return seen;
    expect(page.edges).toHaveLength(size);
    after = page.edges.at(-1)!.cursor;
    if (pageNo > 1000) throw new Error('the walk does not end');
  }
};

const at = (iso: string, deltaMs = 0) => new Date(Date.parse(iso) + deltaMs);

describe('listAuditEntries', () => {
  it('lists the tenant trail newest first, one entry per event, with a total count', () => {
    const expected = expectedIds(() => true);
    expect(walk({}, 100)).toEqual(expected);
    expect(listAuditEntries(db, TENANT_A, {}, {}).totalCount).toBe(expected.length);
    const positions = listAuditEntries(db, TENANT_A, {}, { first: 100 }).edges.map((edge) => Number(edge.node.position.split('.')[0]));
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
  });

  it('filters on the client, in any case', () => {
    const [clientId] = A_CLIENTS;
    expect(walk({ clientId: ` ${clientId.toUpperCase()} ` }, 100)).toEqual(expectedIds((e) => e.clientId === clientId));
    expect(listAuditEntries(db, TENANT_A, { clientId: uuidFor('nobody') }, {}).totalCount).toBe(0);
  });

  it('filters on the actor', () => {
    expect(walk({ actorId: 'user-bob' }, 100)).toEqual(expectedIds((e) => e.actorId === 'user-bob'));
    expect(listAuditEntries(db, TENANT_A, { actorId: 'USER-BOB' }, {}).totalCount).toBe(0);
  });

  it('filters on actions: any of them, repeats ignored, an empty list or unknown action matches nothing', () => {
    expect(walk({ actions: ['client.renamed'] }, 100)).toEqual(expectedIds((e) => e.action === 'client.renamed'));
    const two = ['client.tag.added', 'client.created', 'client.tag.added'];
    expect(walk({ actions: two }, 100)).toEqual(expectedIds((e) => two.includes(e.action)));
    expect(listAuditEntries(db, TENANT_A, { actions: [] }, {}).totalCount).toBe(0);
    expect(listAuditEntries(db, TENANT_A, { actions: ['client.exploded'] }, {}).totalCount).toBe(0);
  });

  it('includes entries at exactly `from` and excludes those at exactly `to`', () => {
    const from = minute(10);
    const to = minute(20);
    const window = walk({ from: at(from), to: at(to) }, 100);
    expect(window).toEqual(expectedIds((e) => e.occurredAt >= from && e.occurredAt < to));
    // Two events share each minute: both ends are met by ties.
    expect(model.filter((e) => e.tenantId === TENANT_A && e.occurredAt === from)).toHaveLength(2);
    expect(window).toEqual(expect.arrayContaining(expectedIds((e) => e.occurredAt === from)));
    expect(window).not.toEqual(expect.arrayContaining(expectedIds((e) => e.occurredAt === to)));
    expect(walk({ from: at(from, 1), to: at(to, 1) }, 100)).toEqual(expectedIds((e) => e.occurredAt > from && e.occurredAt <= to));
    expect(walk({ from: at(from) }, 100)).toEqual(expectedIds((e) => e.occurredAt >= from));
    expect(walk({ to: at(to) }, 100)).toEqual(expectedIds((e) => e.occurredAt < to));
    expect(listAuditEntries(db, TENANT_A, { from: at(to), to: at(from) }, {}).totalCount).toBe(0);
    expect(listAuditEntries(db, TENANT_A, { from: at(from), to: at(from) }, {}).totalCount).toBe(0);
  });

  it('combines filters with AND', () => {
    const [, clientId] = A_CLIENTS;
    const filter: AuditFilter = { clientId, actorId: ADMIN.id, actions: ['client.renamed', 'client.tag.added'], from: at(minute(5)), to: at(minute(50)) };
    const expected = expectedIds(
      (e) =>
        e.clientId === clientId &&
        e.actorId === ADMIN.id &&
        ['client.renamed', 'client.tag.added'].includes(e.action) &&
        e.occurredAt >= minute(5) &&
        e.occurredAt < minute(50),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(walk(filter, 2)).toEqual(expected);
    expect(listAuditEntries(db, TENANT_A, filter, { first: 1 }).totalCount).toBe(expected.length);
  });

  it('walks any filter exactly once with random page sizes (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          clientId: fc.constantFrom(null, ...A_CLIENTS),
          actorId: fc.constantFrom(null, ...ACTORS.map((actor) => actor.id)),
          actions: fc.constantFrom<string[] | null>(null, ['client.renamed'], ['client.tag.added', 'client.token_lifetime.changed']),
          from: fc.option(fc.integer({ min: 0, max: 70 })),
          to: fc.option(fc.integer({ min: 0, max: 70 })),
        }),
        fc.integer({ min: 1, max: 30 }),
        (f, size) => {
          const filter: AuditFilter = {
            clientId: f.clientId,
            actorId: f.actorId,
            actions: f.actions,
            from: f.from === null ? null : at(minute(f.from)),
            to: f.to === null ? null : at(minute(f.to)),
          };
          const expected = expectedIds(
            (e) =>
              (f.clientId === null || e.clientId === f.clientId) &&
              (f.actorId === null || e.actorId === f.actorId) &&
              (f.actions === null || f.actions.includes(e.action)) &&
              (f.from === null || e.occurredAt >= minute(f.from)) &&
              (f.to === null || e.occurredAt < minute(f.to)),
          );
          expect(walk(filter, size)).toEqual(expected);
          expect(listAuditEntries(db, TENANT_A, filter, { first: 0 }).totalCount).toBe(expected.length);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('pages 50 by default, at most 100, and refuses bad sizes and cursors', () => {
    expect(listAuditEntries(db, TENANT_A, {}, {}).edges).toHaveLength(50);
    expect(listAuditEntries(db, TENANT_A, {}, { first: 100 }).edges).toHaveLength(100);
    expect(() => listAuditEntries(db, TENANT_A, {}, { first: 101 })).toThrow(LimitExceededError);
    expect(() => listAuditEntries(db, TENANT_A, {}, { first: -1 })).toThrow(ValidationError);
    const clientCursor = listClients(db, TENANT_A, {}, { field: 'NAME', direction: 'ASC' }, { first: 1 }).edges[0].cursor;
    const forged = Buffer.from(JSON.stringify(['audit', 'x', 'y'])).toString('base64url');
    for (const after of [clientCursor, forged, 'garbage']) {
      let caught: unknown;
      try {
        listAuditEntries(db, TENANT_A, {}, { first: 1, after });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).violations).toEqual([expect.objectContaining({ field: 'after', rule: 'cursor' })]);
    }
  });

  it('has correct flags at the end of the trail', () => {
    const all = expectedIds(() => true);
    const last = listAuditEntries(db, TENANT_A, {}, { first: 100 }).edges.at(-1)!.cursor;
    const rest = listAuditEntries(db, TENANT_A, {}, { first: 100, after: last });
    expect(rest.edges).toHaveLength(all.length - 100);
    expect(rest).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const tail = rest.edges.at(-1)!.cursor;
    expect(listAuditEntries(db, TENANT_A, {}, { first: 5, after: tail })).toMatchObject({ edges: [], hasNextPage: false, hasPreviousPage: true });
  });

  it('shows tenant B only its own entries, whatever it asks', () => {
    expect(walk({}, 100, TENANT_B)).toEqual(expectedIds(() => true, TENANT_B));
    expect(listAuditEntries(db, TENANT_B, {}, {}).totalCount).toBe(5);
    expect(listAuditEntries(db, TENANT_B, { clientId: A_CLIENTS[0] }, {}).totalCount).toBe(0);
    expect(listAuditEntries(db, TENANT_A, { clientId: B_CLIENT }, {}).totalCount).toBe(0);
    const cursor = listAuditEntries(db, TENANT_A, {}, { first: 3 }).edges[2].cursor;
    const page = listAuditEntries(db, TENANT_B, {}, { first: 100, after: cursor });
    expect(page.edges.every((edge) => edge.node.clientId === B_CLIENT)).toBe(true);
  });
});
