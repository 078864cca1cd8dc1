import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEV_SIGNING_KEY_FILE } from '../../src/auth/devSigningKey';
import { clientStreamId } from '../../src/domain/client';
import { comparePositions } from '../../src/eventstore';
import { type PositionSeal, loadPositionSeal } from '../../src/positions';
import { type EventStoreStandin, startEventStoreStandin } from './standin/standinServer';
import { type Caller, type TestApp, addClient, errorCode, startTestApp, testEventStoreFromEnv } from '../testing/testApp';

jest.setTimeout(60_000);

const QUERY_ONE = `query($id: ID!) { authorizationCodeClient(id: $id) { name allowedRedirectUrls version } }`;
const ADD_URL = `mutation($input: AddRedirectUrlInput!) { addRedirectUrl(input: $input) { changed position client { version } } }`;
const RENAME = `mutation($input: RenameAuthorizationCodeClientInput!) {
  renameAuthorizationCodeClient(input: $input) { changed position client { name version } } }`;

/** Waits until `check` holds, polling; fails the test with `what` after a while. */
const eventually = async (what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

/** `npm run test:esdb` runs the two instances on the real server; otherwise they share a stand-in. */
const onRealServer = testEventStoreFromEnv() === 'eventstoredb';

describe(`two service instances on one EventStoreDB (${onRealServer ? 'real server' : 'protocol stand-in'})`, () => {
  let standin: EventStoreStandin | null = null;
  let first: TestApp;
  let second: TestApp;
  let admin: Caller;
  let seal: PositionSeal;

  beforeAll(async () => {
    standin = onRealServer ? null : await startEventStoreStandin({ port: 0 });
    const store = standin ? { connectionString: standin.connectionString } : ('eventstoredb' as const);
    // Both instances seal positions with one shared key, as replicas behind a load balancer must.
    const positionKeyFile = path.join(mkdtempSync(path.join(tmpdir(), 'acc-e2e-keys-')), 'position.key');
    writeFileSync(positionKeyFile, randomBytes(32).toString('base64'));
    seal = loadPositionSeal({ kind: 'file', file: positionKeyFile });
    first = await startTestApp({ eventStore: store, env: { POSITION_KEY_FILE: positionKeyFile } });
    // The second instance verifies the same development tokens: it gets the first one's key.
    const secondDir = mkdtempSync(path.join(tmpdir(), 'acc-e2e-second-'));
    copyFileSync(path.join(first.dataDir, DEV_SIGNING_KEY_FILE), path.join(secondDir, DEV_SIGNING_KEY_FILE));
    second = await startTestApp({
      eventStore: store,
      dataDir: secondDir,
      env: { READ_YOUR_WRITES_TIMEOUT_MS: '300', POSITION_KEY_FILE: positionKeyFile },
    });
    admin = await first.caller('tenant-a');
  });
  afterAll(async () => {
    await first?.dispose();
    await second?.dispose();
    await standin?.close();
  });

  it('a mutation through one is read through the other once its position is reached (Consistency-Position)', async () => {
    const added = await first.gql(
      `mutation($input: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $input) { position client { id } } }`,
      { input: { name: 'Seen everywhere', allowedRedirectUrls: ['https://app.example.com/cb'] } },
      { token: admin.token },
    );
    const { position, client } = added.data.addAuthorizationCodeClient;
    expect(position).toMatch(/^p1\.[A-Za-z0-9_-]{59}$/);

    const read = await second.gql(QUERY_ONE, { id: client.id }, { token: admin.token, headers: { 'Consistency-Position': position } });
    expect(read.extensions).toBeUndefined();
    expect(read.data.authorizationCodeClient).toEqual({
      name: 'Seen everywhere',
      allowedRedirectUrls: ['https://app.example.com/cb'],
      version: 1,
    });

    const renamed = await second.gql(RENAME, { input: { clientId: client.id, name: 'Renamed on the second' } }, { token: admin.token });
    const back = await first.gql(QUERY_ONE, { id: client.id }, {
      token: admin.token,
      headers: { 'Consistency-Position': renamed.data.renameAuthorizationCodeClient.position },
    });
    expect(back.data.authorizationCodeClient).toMatchObject({ name: 'Renamed on the second', version: 2 });
  });

  it('answers stale, after the bound, for a position this instance has not reached', async () => {
    await addClient(first, {}, admin.token);
    const farAhead = seal.seal('tenant-a', { commit: 9223372036854775000n, prepare: 9223372036854775000n });
    const started = Date.now();
    const read = await second.gql(`query { authorizationCodeClients(first: 1) { totalCount } }`, {}, {
      token: admin.token,
      headers: { 'Consistency-Position': farAhead },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(read.errors).toBeUndefined();
    expect(read.extensions).toEqual({ stale: true });
  });

  it('concurrent adds through both instances lose no update and break no rule', async () => {
    const client = await addClient(first, { allowedRedirectUrls: ['https://app.example.com/cb/0'] }, admin.token);
    const urls = Array.from({ length: 20 }, (_, i) => `https://app.example.com/cb/${i + 1}`);
    const responses = await Promise.all(
      urls.map((url, i) => (i % 2 === 0 ? first : second).gql(ADD_URL, { input: { clientId: client.id, url } }, { token: admin.token })),
    );
    const accepted = urls.filter((_, i) => responses[i].data?.addRedirectUrl?.changed === true);
    const refused = responses.filter((response) => response.errors);
    expect(accepted).toHaveLength(9);
    expect(refused).toHaveLength(11);
    for (const response of refused) expect(response.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ rule: 'tooMany' }] });
    // Both instances accepted some: the race really crossed instances.
    expect(accepted.some((url) => urls.indexOf(url) % 2 === 0)).toBe(true);
    expect(accepted.some((url) => urls.indexOf(url) % 2 === 1)).toBe(true);

    const { events } = await first.app.store.readStream(clientStreamId(client.id));
    expect(events.filter((e) => e.type === 'RedirectUrlAdded').map((e) => e.data.url).sort()).toEqual([...accepted].sort());
    // Positions are opaque to callers; the test opens them with the shared key to find the latest.
    const last = responses
      .map((r) => r.data?.addRedirectUrl?.position as string | undefined)
      .filter((token): token is string => token !== undefined)
      .sort((a, b) => comparePositions(seal.open('tenant-a', a)!, seal.open('tenant-a', b)!))
      .at(-1)!;
    for (const instance of [first, second]) {
      const stored = await instance.gql(QUERY_ONE, { id: client.id }, { token: admin.token, headers: { 'Consistency-Position': last } });
      expect(stored.data.authorizationCodeClient.version).toBe(10);
      expect(new Set(stored.data.authorizationCodeClient.allowedRedirectUrls)).toEqual(new Set(['https://app.example.com/cb/0', ...accepted]));
    }
  });

  it('of two saves with the same expectedVersion through different instances, exactly one wins', async () => {
    const client = await addClient(first, {}, admin.token);
    const saves = await Promise.all(
      [first, second].map((instance, i) =>
        instance.gql(RENAME, { input: { clientId: client.id, name: `Name ${i}`, expectedVersion: client.version } }, { token: admin.token }),
      ),
    );
    const won = saves.filter((save) => save.data?.renameAuthorizationCodeClient?.changed);
    const lost = saves.filter((save) => save.errors);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(errorCode(lost[0])).toBe('CONFLICT');
    expect(lost[0].errors![0].extensions).toMatchObject({ currentVersion: 2 });
    const { events } = await second.app.store.readStream(clientStreamId(client.id));
    expect(events.map((e) => e.type)).toEqual(['ClientCreated', 'ClientRenamed']);
  });
});

// A real server cannot be stopped and restarted from a test: this one always runs on a stand-in.
describe('one instance while its EventStoreDB (protocol stand-in) goes away and comes back', () => {
  let test: TestApp;
  let admin: Caller;
  beforeAll(async () => {
    test = await startTestApp({ eventStore: 'standin', env: { EVENTSTORE_DEADLINE_MS: '2000' } });
    admin = await test.caller('tenant-a');
  });
  afterAll(() => test?.dispose());

  it('fails commands fast with a clear error, reports not ready, keeps serving reads, then recovers by itself', async () => {
    const client = await addClient(test, { name: 'Before the outage' }, admin.token);
    await test.standin!.stop();

    const started = Date.now();
    const refused = await test.gql(RENAME, { input: { clientId: client.id, name: 'During the outage' } }, { token: admin.token });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(errorCode(refused)).toBe('INTERNAL_SERVER_ERROR');
    expect(refused.errors![0].message).toMatch(/event store \(EventStoreDB\) (is unavailable|did not answer in time)/);

    await eventually('readiness reports the projections reconnecting', async () => {
      const ready = await fetch(`${test.url}/ready`);
      const body = (await ready.json()) as { projections: { state: string; reconnect: unknown }[] };
      return ready.status === 503 && body.projections.every((p) => p.state === 'reconnecting' && p.reconnect !== null);
    });
    const read = await test.gql(QUERY_ONE, { id: client.id }, { token: admin.token });
    expect(read.data.authorizationCodeClient.name).toBe('Before the outage');

    await test.standin!.restart();
    await eventually('readiness is back', async () => (await fetch(`${test.url}/ready`)).status === 200);
    const renamed = await test.gql(RENAME, { input: { clientId: client.id, name: 'After the outage' } }, { token: admin.token });
    expect(renamed.errors).toBeUndefined();
    expect(renamed.extensions).toBeUndefined();
    expect(renamed.data.renameAuthorizationCodeClient.client).toEqual({ name: 'After the outage', version: 2 });
    const { events } = await test.app.store.readStream(clientStreamId(client.id));
    expect(events.map((e) => e.type)).toEqual(['ClientCreated', 'ClientRenamed']);
  });
});
