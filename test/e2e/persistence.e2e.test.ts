import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { dataFiles } from '../../src/app';
import { type TestApp, addClient, startTestApp } from '../testing/testApp';

const SNAPSHOT = `{
  authorizationCodeClients(orderBy: { field: CREATED_AT }) {
    totalCount
    nodes { id name enabled tokenLifetime allowedRedirectUrls allowedCorsOrigins tags version createdAt updatedAt createdBy { id } }
  }
  auditTrail(first: 100) { totalCount nodes { id position action clientId reason changes { field before after } } }
}`;

describe('a stopped and restarted server keeps everything', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.dispose());

  it('answers the same clients and audit trail after a restart, and after its read model is deleted', async () => {
    // A tenant of its own: a rebuild replays the whole store, which `npm run test:esdb` shares with other tests.
    const { token } = await test.caller(`tenant-${randomUUID()}`);
    const first = await addClient(test, { name: 'Survivor', tags: ['keep'], allowedCorsOrigins: ['https://a.example.com'] }, token);
    await addClient(test, { name: 'Deleted later' }, token).then((client) =>
      test.gql(
        `mutation($input: DeleteAuthorizationCodeClientInput!) { deleteAuthorizationCodeClient(input: $input) { changed } }`,
        { input: { clientId: client.id, reason: 'cleanup' } },
        { token },
      ),
    );
    await test.gql(
      `mutation($input: AddRedirectUrlInput!) { addRedirectUrl(input: $input) { changed } }`,
      { input: { clientId: first.id, url: 'http://localhost:8080/cb' } },
      { token },
    );
    const before = await test.gql(SNAPSHOT, {}, { token });
    expect(before.errors).toBeUndefined();
    expect(before.data.authorizationCodeClients.totalCount).toBe(1);
    expect(before.data.auditTrail.totalCount).toBe(4);

    await test.restart();
    expect(await test.gql(SNAPSHOT, {}, { token })).toMatchObject({ data: before.data });

    // The read model is only a cache of the events: without it, the service rebuilds the same answers.
    await test.stop();
    const { readModel } = dataFiles(test.dataDir);
    for (const suffix of ['', '-wal', '-shm']) rmSync(readModel + suffix, { force: true });
    await test.restart();
    expect(await test.app.projections.waitUntilLive(10_000)).toBe(true);
    expect(await test.gql(SNAPSHOT, {}, { token })).toMatchObject({ data: before.data });

    const afterwards = await test.gql(
      `mutation($input: SetTokenLifetimeInput!) { setTokenLifetime(input: $input) { client { version } } }`,
      { input: { clientId: first.id, seconds: 120 } },
      { token },
    );
    expect(afterwards.data.setTokenLifetime.client.version).toBe(3);
  });
});

describe('a start that fails', () => {
  it('leaves nothing running behind it (port already taken)', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as AddressInfo;
    try {
      await expect(startTestApp({ env: { PORT: String(port) } })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
    // The store's and the projections' polling timers are gone with the failed start (timers of
    // earlier tests may end meanwhile, so none added is the measure).
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
