import { startEventStoreStandin } from '../eventstoredb/standin/standinServer';
import { addClient, startTestApp } from '../testing/testApp';

const LIST = `{ authorizationCodeClients { totalCount nodes { name } } auditTrail { totalCount } }`;

describe('a read model moved to another event store', () => {
  it('is rebuilt from the new store, never mixing in the old one’s clients or positions', async () => {
    const [first, second] = await Promise.all([startEventStoreStandin({ port: 0 }), startEventStoreStandin({ port: 0 })]);
    const onFirst = await startTestApp({ eventStore: { connectionString: first.connectionString } });
    try {
      await addClient(onFirst, { name: 'In the first store' });
      await addClient(onFirst, { name: 'Also in the first store' });
      await onFirst.stop();

      // The same DATA_DIR (read model and checkpoints) on another, empty EventStoreDB.
      const onSecond = await startTestApp({ dataDir: onFirst.dataDir, eventStore: { connectionString: second.connectionString } });
      expect(await onSecond.app.projections.waitUntilLive(10_000)).toBe(true);
      expect((await onSecond.gql(LIST)).data).toEqual({ authorizationCodeClients: { totalCount: 0, nodes: [] }, auditTrail: { totalCount: 0 } });
      await addClient(onSecond, { name: 'In the second store' });
      expect((await onSecond.gql(LIST)).data.authorizationCodeClients.nodes).toEqual([{ name: 'In the second store' }]);
      await onSecond.stop();

      // And to the embedded store in the same folder, which has no events yet.
      const onSqlite = await startTestApp({ dataDir: onFirst.dataDir, eventStore: 'sqlite' });
      expect(await onSqlite.app.projections.waitUntilLive(10_000)).toBe(true);
      expect((await onSqlite.gql(LIST)).data.authorizationCodeClients.totalCount).toBe(0);
      await onSqlite.stop();

      // Back to the first store: its two clients again, rebuilt from its events.
      await onFirst.restart();
      expect(await onFirst.app.projections.waitUntilLive(10_000)).toBe(true);
      const names = (await onFirst.gql(LIST)).data.authorizationCodeClients.nodes.map((node: { name: string }) => node.name);
      expect(names.sort()).toEqual(['Also in the first store', 'In the first store']);
    } finally {
      await onFirst.dispose();
      await Promise.all([first.close(), second.close()]);
    }
  });
});
