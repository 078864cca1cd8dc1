import fc from 'fast-check';
import { LimitExceededError, ValidationError } from '../../src/errors';
import {
  type ClientFilter,
  type ClientOrder,
  type ClientView,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type Page,
  type PageArgs,
  type ReadModelDatabase,
  getClient,
  listAuditEntries,
  listClients,
} from '../../src/readmodel';
import { TENANT_A, TENANT_B, type ProjectionWorld, openProjectionWorld, runProjections } from '../testing/projectionSpecification';
import {
  ALL_ORDERS,
  type ModelClient,
  SPECIAL_NAMES,
  TENANT_A_CLIENTS,
  fold,
  modelClients,
  queryHistory,
  sortClients,
  uuidFor,
} from './clientFixtures';

// Real files and many runs: allow for a loaded machine.
jest.setTimeout(60_000);

const BY_NAME: ClientOrder = { field: 'NAME', direction: 'ASC' };

let world: ProjectionWorld;
let db: ReadModelDatabase;
let model: ModelClient[];

beforeAll(async () => {
  world = openProjectionWorld();
  const history = queryHistory();
  await world.append(history);
  db = world.readModel();
  await runProjections(world.store, db);
  model = modelClients(history);
});
afterAll(async () => {
  await world.dispose();
});

const visible = (tenantId: string) => model.filter((client) => client.tenantId === tenantId && !client.deleted);
const ids = (page: Page<ClientView>) => page.edges.map((edge) => edge.node.id);
const list = (filter: ClientFilter, args: PageArgs = { first: MAX_PAGE_SIZE }, order: ClientOrder = BY_NAME, tenantId = TENANT_A) =>
  listClients(db, tenantId, filter, order, args);
const namesOf = (page: Page<ClientView>) => page.edges.map((edge) => edge.node.name).sort();

/** Walks the whole list forwards with `first`, checking every page's flags; answers the ids in order. */
const walkForward = (filter: ClientFilter, order: ClientOrder, size: number, tenantId = TENANT_A): string[] => {
  const seen: string[] = [];
  let after: string | null = null;
  for (let pageNo = 0; ; pageNo += 1) {
    const page = listClients(db, tenantId, filter, order, { first: size, after });
    expect(page.hasPreviousPage).toBe(pageNo > 0);
    seen.push(...ids(page));
    if (!page.hasNextPage) return seen;
    expect(page.edges).toHaveLength(size);
    after = page.edges.at(-1)!.cursor;
    if (pageNo > 1000) throw new Error('the walk does not end');
  }
};

/** Walks the whole list backwards with `last`/`before`; answers the ids in list order. */
const walkBackward = (filter: ClientFilter, order: ClientOrder, size: number, tenantId = TENANT_A): string[] => {
  const pages: string[][] = [];
  let before: string | null = null;
  for (let pageNo = 0; ; pageNo += 1) {
    const page = listClients(db, tenantId, filter, order, { last: size, before });
    expect(page.hasNextPage).toBe(pageNo > 0);
    pages.unshift(ids(page));
    if (!page.hasPreviousPage) return pages.flat();
    expect(page.edges).toHaveLength(size);
    before = page.edges[0].cursor;
    if (pageNo > 1000) throw new Error('the walk does not end');
  }
};

const expectViolation = (run: () => unknown, field: string, rule: string) => {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  expect((caught as ValidationError).violations).toEqual([expect.objectContaining({ field, rule })]);
};

const cursorOf = (...parts: unknown[]): string => Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');

describe('listClients filters', () => {
  it('without a filter, lists every live client of the tenant and counts them', () => {
    const page = list({});
    expect(page.totalCount).toBe(visible(TENANT_A).length);
    expect(page.totalCount).toBe(TENANT_A_CLIENTS - model.filter((c) => c.deleted).length);
    expect(model.filter((c) => c.deleted).length).toBeGreaterThan(5);
  });

  it.each([
    ['portal', ['Customer Portal', 'customer portal', 'CUSTOMER PORTAL', 'Ärzte-Portal', 'ärzte-portal intern']],
    ['  PORTAL  ', ['Customer Portal', 'customer portal', 'CUSTOMER PORTAL', 'Ärzte-Portal', 'ärzte-portal intern']],
    ['ÄRZTE', ['Ärzte-Portal', 'ärzte-portal intern']],
    ['ärzte-portal', ['Ärzte-Portal', 'ärzte-portal intern']],
    ['οδυσσευς', ['ΟΔΥΣΣΕΥΣ']],
    ['ΟΔΥΣ', ['ΟΔΥΣΣΕΥΣ']],
    ['Οδυσσεύς'.slice(0, 3), ['ΟΔΥΣΣΕΥΣ']],
    ['café', ['Café Crème', 'Cafe\u0301 Noir']],
    ['CAFE\u0301', ['Café Crème', 'Cafe\u0301 Noir']],
    ['STRASSE', []],
    ['straße', ['Straße']],
    ['100%', ['100% Pure']],
    ['%', ['100% Pure']],
    ['_', ['under_score']],
    ['no such client', []],
  ])('search %j matches names case-insensitively, as plain text', (search, expected) => {
    expect(namesOf(list({ search }))).toEqual([...expected].sort());
  });

  it('search matches a part of the id, in any case', () => {
    const target = model.find((client) => client.name === 'Zeta')!;
    const part = target.id.slice(9, 23).toUpperCase();
    expect(ids(list({ search: part }))).toEqual([target.id]);
    expect(ids(list({ search: ` ${target.id.toUpperCase()} ` }))).toEqual([target.id]);
  });

  it('filters on enabled', () => {
    const enabled = list({ enabled: true });
    const disabled = list({ enabled: false });
    expect(enabled.totalCount).toBe(visible(TENANT_A).filter((c) => c.enabled).length);
    expect(disabled.totalCount).toBe(visible(TENANT_A).filter((c) => !c.enabled).length);
    expect(disabled.edges.every((edge) => !edge.node.enabled)).toBe(true);
    expect(list({ enabled: null }).totalCount).toBe(visible(TENANT_A).length);
  });

  it('filters on tags, all of them', () => {
    const withAll = (tags: string[]) => visible(TENANT_A).filter((c) => tags.every((tag) => c.tags.includes(tag)));
    for (const tags of [['spa'], ['spa', 'prod'], ['spa', 'prod', 'team:blue'], ['late', 'spa'], ['late']]) {
      expect(walkForward({ tags }, BY_NAME, 100).sort()).toEqual(withAll(tags).map((c) => c.id).sort());
    }
    expect(list({ tags: ['spa', 'spa'] }).totalCount).toBe(withAll(['spa']).length);
    expect(list({ tags: ['unknown'] }).totalCount).toBe(0);
    expect(list({ tags: [] }).totalCount).toBe(visible(TENANT_A).length);
  });

  it('filters on ids, in any case and with repeats; deleted and foreign ids are not found', () => {
    const [first, second] = visible(TENANT_A);
    const deleted = model.find((c) => c.deleted)!;
    const foreign = visible(TENANT_B)[0];
    const page = list({ ids: [first.id.toUpperCase(), ` ${second.id} `, first.id, deleted.id, foreign.id, 'not-an-id'] });
    expect(ids(page).sort()).toEqual([first.id, second.id].sort());
    expect(page.totalCount).toBe(2);
    expect(list({ ids: [] }).totalCount).toBe(0);
  });

  it('combines filters with AND', () => {
    const expected = visible(TENANT_A).filter((c) => c.enabled && c.tags.includes('spa') && fold(c.name).includes('app'));
    expect(ids(list({ enabled: true, tags: ['spa'], search: 'APP' })).sort()).toEqual(expected.map((c) => c.id).sort());
  });
});

describe('listClients order and paging', () => {
  it.each(ALL_ORDERS.map((order) => [`${order.field} ${order.direction}`, order] as const))(
    'orders by %s with ties broken by id, walking forwards and backwards without gaps or repeats',
    (_label, order) => {
      const expected = sortClients(visible(TENANT_A), order).map((c) => c.id);
      expect(ids(list({}, { first: 100 }, order))).toEqual(expected.slice(0, 100));
      for (const size of [1, 7, 50, 100]) {
        expect(walkForward({}, order, size)).toEqual(expected);
        expect(walkBackward({}, order, size)).toEqual(expected);
      }
    },
  );

  it('has ties to break: several clients share a name, a creation time and an update time', () => {
    const count = (key: (c: ModelClient) => string) => {
      const groups = new Map<string, number>();
      for (const client of visible(TENANT_A)) groups.set(key(client), (groups.get(key(client)) ?? 0) + 1);
      return Math.max(...groups.values());
    };
    expect(count((c) => fold(c.name))).toBeGreaterThan(3);
    expect(count((c) => c.createdAt)).toBe(3);
    expect(count((c) => c.updatedAt)).toBeGreaterThan(1);
  });

  it('gives 50 by default and at most 100', () => {
    expect(list({}, {}).edges).toHaveLength(DEFAULT_PAGE_SIZE);
    expect(DEFAULT_PAGE_SIZE).toBe(50);
    expect(list({}, {}).hasNextPage).toBe(true);
    expect(list({}, { first: 100 }).edges).toHaveLength(100);
    expect(list({}, { last: 100 }).edges).toHaveLength(100);
    for (const args of [{ first: 101 }, { last: 101 }, { first: 1_000_000 }]) {
      let caught: unknown;
      try {
        list({}, args);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(LimitExceededError);
      expect(caught).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'pageSize', max: MAX_PAGE_SIZE } });
    }
  });

  it('answers an empty page for first: 0 and last: 0, with the count and what lies beyond', () => {
    const forward = list({}, { first: 0 });
    expect(forward).toMatchObject({ edges: [], hasNextPage: true, hasPreviousPage: false, totalCount: visible(TENANT_A).length });
    expect(list({}, { last: 0 })).toMatchObject({ edges: [], hasNextPage: false, hasPreviousPage: true });
  });

  it('has correct flags at both ends, and an empty page past the end', () => {
    const all = list({}, { first: 100 }, BY_NAME);
    const lastCursor = list({}, { last: 1 }, BY_NAME).edges[0].cursor;
    const firstCursor = all.edges[0].cursor;
    expect(list({}, { first: 5, after: lastCursor })).toMatchObject({ edges: [], hasNextPage: false, hasPreviousPage: true });
    expect(list({}, { last: 5, before: firstCursor })).toMatchObject({ edges: [], hasNextPage: true, hasPreviousPage: false });
    const tail = list({}, { last: 3 });
    expect(tail).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const head = list({}, { first: 3 });
    expect(head).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const exact = list({ tags: ['team:blue', 'prod'] }, { first: 100 });
    expect(exact.hasNextPage).toBe(false);
    expect(list({ tags: ['team:blue', 'prod'] }, { first: exact.edges.length }).hasNextPage).toBe(false);
    expect(list({ tags: ['team:blue', 'prod'] }, { first: exact.edges.length - 1 }).hasNextPage).toBe(true);
  });

  it('pages between two cursors with after and before together', () => {
    const expected = sortClients(visible(TENANT_A), BY_NAME).map((c) => c.id);
    const page = list({}, { first: 100 }, BY_NAME);
    const after = page.edges[10].cursor;
    const before = page.edges[20].cursor;
    expect(ids(list({}, { first: 100, after, before }))).toEqual(expected.slice(11, 20));
    expect(ids(list({}, { last: 4, after, before }))).toEqual(expected.slice(16, 20));
  });

  it('walks any filter and order exactly once with random page sizes and directions (property)', () => {
    const searches = ['', 'portal', 'APP', 'ärz', '1', 'same', uuidFor('a-7').slice(0, 4)];
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL_ORDERS),
        fc.record({
          search: fc.constantFrom(...searches),
          enabled: fc.constantFrom(true, false, null),
          tags: fc.subarray(['spa', 'prod', 'late']),
        }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (order, filter, size, backward) => {
          const expected = sortClients(
            visible(TENANT_A).filter(
              (c) =>
                (fold(c.name).includes(fold(filter.search)) || c.id.includes(filter.search.toLowerCase())) &&
                (filter.enabled === null || c.enabled === filter.enabled) &&
                filter.tags.every((tag) => c.tags.includes(tag)),
            ),
            order,
          ).map((c) => c.id);
          const walked = backward ? walkBackward(filter, order, size) : walkForward(filter, order, size);
          expect(walked).toEqual(expected);
          expect(list(filter, { first: 1 }, order).totalCount).toBe(expected.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('listClients refuses bad arguments', () => {
  it.each([
    [{ first: -1 }, 'first'],
    [{ last: -1 }, 'last'],
    [{ first: 1.5 }, 'first'],
    [{ first: Number.NaN }, 'first'],
  ])('refuses page size %j', (args, field) => {
    expectViolation(() => list({}, args), field, 'pageSize');
  });

  it('refuses first and last together', () => {
    expectViolation(() => list({}, { first: 1, last: 1 }), 'last', 'pageSize');
  });

  it.each([
    ['not base64 JSON', 'not a cursor!'],
    ['base64 of text', Buffer.from('hello').toString('base64url')],
    ['a JSON object', cursorOf({ a: 1 })],
    ['the wrong number of parts', cursorOf('clients:NAME:ASC', 'x')],
    ['another ordering', cursorOf('clients:NAME:DESC', 'x', 'y')],
    ['the audit trail', cursorOf('audit', 3, 3)],
    ['a key of the wrong type', cursorOf('clients:NAME:ASC', 1, 2)],
    ['nested values', cursorOf('clients:NAME:ASC', ['x'], 'y')],
  ])('refuses a cursor that is %s, as after and as before', (_label, cursor) => {
    expectViolation(() => list({}, { first: 5, after: cursor }), 'after', 'cursor');
    expectViolation(() => list({}, { last: 5, before: cursor }), 'before', 'cursor');
  });

  it('refuses a cursor of another ordering that it gave out itself', () => {
    const cursor = list({}, { first: 1 }, { field: 'CREATED_AT', direction: 'ASC' }).edges[0].cursor;
    expectViolation(() => list({}, { first: 1, after: cursor }, { field: 'CREATED_AT', direction: 'DESC' }), 'after', 'cursor');
    expectViolation(() => list({}, { first: 1, after: cursor }, BY_NAME), 'after', 'cursor');
    expectViolation(() => listAuditEntries(db, TENANT_A, {}, { first: 1, after: cursor }), 'after', 'cursor');
  });
});

describe('tenant isolation', () => {
  it('shows tenant B only its own clients, whatever it asks', () => {
    const own = visible(TENANT_B).map((c) => c.id).sort();
    expect(ids(list({}, { first: 100 }, BY_NAME, TENANT_B)).sort()).toEqual(own);
    expect(list({}, {}, BY_NAME, TENANT_B).totalCount).toBe(5);
    expect(ids(list({ search: 'portal' }, {}, BY_NAME, TENANT_B))).toEqual([uuidFor('b-0')]);
    expect(list({ ids: visible(TENANT_A).map((c) => c.id) }, {}, BY_NAME, TENANT_B).totalCount).toBe(0);
    expect(list({ search: visible(TENANT_A)[0].id }, {}, BY_NAME, TENANT_B).totalCount).toBe(0);
    for (const client of visible(TENANT_A)) expect(getClient(db, TENANT_B, client.id)).toBeNull();
    expect(getClient(db, 'tenant-unknown', uuidFor('b-0'))).toBeNull();
    expect(list({}, {}, BY_NAME, 'tenant-unknown')).toEqual({ edges: [], hasNextPage: false, hasPreviousPage: false, totalCount: 0 });
  });

  it('keeps a cursor of tenant A from showing tenant A rows to tenant B', () => {
    const cursor = list({}, { first: 3 }).edges[2].cursor;
    const page = list({}, { first: 100, after: cursor }, BY_NAME, TENANT_B);
    expect(page.edges.every((edge) => edge.node.tenantId === TENANT_B)).toBe(true);
  });

  it('keeps every special name in tenant A findable', () => {
    for (const name of SPECIAL_NAMES) {
      expect(namesOf(list({ search: name }))).toContain(name);
    }
  });
});
