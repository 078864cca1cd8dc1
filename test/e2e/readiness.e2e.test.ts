import { type TestApp, addClient, startTestApp } from '../testing/testApp';

describe('when the projections fall behind', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp({ env: { READ_YOUR_WRITES_TIMEOUT_MS: '200' } });
  });
  afterAll(() => test.dispose());

  it('a mutation still succeeds but says its answer is stale, and readiness reports not ready', async () => {
    const client = await addClient(test);
    await test.app.projections.stop();
    const ready = await fetch(`${test.url}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not ready', projections: [{ name: 'clientList', state: 'stopped' }, { name: 'auditTrail', state: 'stopped' }] });

    const renamed = await test.gql(`mutation($i: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $i) { changed position client { name } } }`, {
      i: { clientId: client.id, name: 'Renamed while behind' },
    });
    expect(renamed.errors).toBeUndefined();
    expect(renamed.extensions).toEqual({ stale: true });
    expect(renamed.data.renameAuthorizationCodeClient).toMatchObject({ changed: true, client: { name: 'Test app' } });

    // Nothing was lost: once the projections run again, the change shows.
    test.app.projections.start();
    const caughtUp = await test.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { name } }`, { id: client.id }, {
      headers: { 'Consistency-Position': renamed.data.renameAuthorizationCodeClient.position },
    });
    expect(caughtUp.extensions).toBeUndefined();
    expect(caughtUp.data.authorizationCodeClient.name).toBe('Renamed while behind');
    expect((await fetch(`${test.url}/ready`)).status).toBe(200);
  });
});
