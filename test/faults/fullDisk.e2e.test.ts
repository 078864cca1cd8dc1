import { type TestApp, addClient, errorCode, startTestApp } from '../testing/testApp';
import { expectReadModelEqualsRebuild } from './support/reconcile';
import { untilReady } from './support/serverProcess';

jest.setTimeout(60_000);

const COUNT = '{ authorizationCodeClients { totalCount } auditTrail { totalCount } }';
const RENAME = 'mutation($input: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $input) { changed client { name version } } }';

/** What /ready says of the projections. */
const readiness = async (test: TestApp) => {
  const response = await fetch(`${test.url}/ready`);
  return { status: response.status, body: (await response.json()) as { projections: { state: string; reconnect: { reason: string } | null; failure: unknown }[] } };
};

describe('a full disk (SQLite max_page_count)', () => {
  /** The embedded store's page limit, as the disk's free space would set it; null: room enough. */
  let storePages: number | null = null;
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp({ eventStore: 'sqlite', env: { READ_YOUR_WRITES_TIMEOUT_MS: '300' }, overrides: { sqliteMaxPageCount: () => storePages } });
  });
  afterAll(() => test.dispose());

  it('refuses writes to a full event store with a clear error, records nothing, keeps everything acknowledged, and writes again once there is room', async () => {
    const [one] = await Promise.all(['One', 'Two', 'Three'].map((name) => addClient(test, { name })));
    // No page more than the file has now: appends fill its last pages, then find the disk full.
    storePages = 1;
    const acknowledged: string[] = [];
    let refused: Awaited<ReturnType<TestApp['gql']>> | null = null;
    for (let attempt = 0; attempt < 500 && refused === null; attempt += 1) {
      const response = await test.gql(RENAME, { input: { clientId: one.id, name: `One ${attempt}` } });
      if (response.errors) refused = response;
      else acknowledged.push(response.data.renameAuthorizationCodeClient.client.name);
    }
    expect(refused).not.toBeNull();
    expect(errorCode(refused!)).toBe('INTERNAL_SERVER_ERROR');
    expect(refused!.errors![0].message).toBe(
      'The event store is full (SQLITE_FULL): its disk has no room left; nothing was recorded. Free some space and try again',
    );
    const added = await test.gql('mutation($input: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $input) { client { id } } }', {
      input: { name: 'Four', allowedRedirectUrls: ['https://app.example.com/cb'] },
    });
    expect(added.errors![0].message).toMatch(/^The event store is full \(SQLITE_FULL\)/);
    // Reads answer; every acknowledged write is there and nothing of the refused ones.
    await untilReady(test.url);
    const state = async () => (await test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { name version } ${COUNT.slice(1, -1)} }`, { id: one.id })).data;
    const full = {
      authorizationCodeClient: { name: acknowledged.at(-1) ?? 'One', version: 1 + acknowledged.length },
      authorizationCodeClients: { totalCount: 3 },
      auditTrail: { totalCount: 3 + acknowledged.length },
    };
    expect(await state()).toEqual(full);

    storePages = null;
    const again = await test.gql(RENAME, { input: { clientId: one.id, name: 'One renamed' } });
    expect(again.data.renameAuthorizationCodeClient).toEqual({ changed: true, client: { name: 'One renamed', version: 2 + acknowledged.length } });
    expect((await test.gql(COUNT)).data).toEqual({ authorizationCodeClients: { totalCount: 3 }, auditTrail: { totalCount: 4 + acknowledged.length } });
  });

  it('pauses the projections while the read model is full, without stopping them, and catches up by itself once there is room', async () => {
    const { readModel } = test.app;
    const pagesNow = () => Number(readModel.pragma('page_count', { simple: true }));
    const unlimited = Number(readModel.pragma('max_page_count', { simple: true }));
    readModel.pragma(`max_page_count = ${pagesNow()}`);
    const added: string[] = [];
    try {
      // Writes still land in the event store; the read model runs out of pages at some point.
      for (let attempt = 0; attempt < 200 && (await readiness(test)).status === 200; attempt += 1) {
        added.push((await addClient(test, { name: `While full ${attempt}`, tags: Array.from({ length: 5 }, (_, i) => `filler-${attempt}-${i}-${'y'.repeat(30)}`) })).id);
      }
      const { status, body } = await readiness(test);
      expect(status).toBe(503);
      expect(body.projections.map(({ state, failure }) => ({ state, failure }))).toContainEqual({ state: 'reconnecting', failure: null });
      expect(body.projections.find(({ state }) => state === 'reconnecting')!.reconnect!.reason).toBe(
        'The read model is full (SQLITE_FULL): its disk has no room left; the projections retry from their checkpoints until there is',
      );
      // The queries still answer, from what the read model holds.
      expect(errorCode(await test.gql(COUNT))).toBeUndefined();
    } finally {
      readModel.pragma(`max_page_count = ${unlimited}`);
    }
    await untilReady(test.url);
    const { data } = await test.gql(`query($ids: [ID!]) { authorizationCodeClients(filter: { ids: $ids }, first: 100) { totalCount } }`, { ids: added });
    expect(data.authorizationCodeClients.totalCount).toBe(added.length);
    expect(added.length).toBeGreaterThan(0);

    await test.stop();
    await expectReadModelEqualsRebuild(test.dataDir);
    await test.restart();
  });
});
