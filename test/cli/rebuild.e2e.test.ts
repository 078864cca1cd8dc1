import { rmSync } from 'node:fs';
import { dataFiles } from '../../src/app';
import { type CliIo, runCli } from '../../src/cli';
import { type TestApp, addClient, startTestApp } from '../testing/testApp';

const io = (env: NodeJS.ProcessEnv) => {
  const out = { stdout: '', stderr: '' };
  const cliIo: CliIo = { stdout: (text) => (out.stdout += text), stderr: (text) => (out.stderr += text), env, cwd: process.cwd() };
  return { out, cliIo };
};

describe('cli rebuild', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.dispose());

  it('rebuilds a deleted read model from the events alone, to the same answers', async () => {
    const client = await addClient(test, { name: 'Rebuilt', tags: ['a'] });
    await test.gql(`mutation($i: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $i) { changed } }`, {
      i: { clientId: client.id, name: 'Rebuilt twice', reason: 'why not' },
    });
    const query = `{ authorizationCodeClients { nodes { id name version tags createdAt updatedAt } } auditTrail { nodes { id action reason changes { field before after } } } }`;
    const before = (await test.gql(query)).data;
    await test.stop();
    const { readModel } = dataFiles(test.dataDir);
    for (const suffix of ['', '-wal', '-shm']) rmSync(readModel + suffix, { force: true });

    const { out, cliIo } = io({ DATA_DIR: test.dataDir });
    expect(await runCli(['rebuild'], cliIo)).toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/clientList: 2 events applied/);
    expect(out.stderr).toMatch(/auditTrail: 2 events applied/);

    await test.restart();
    expect((await test.gql(query)).data).toEqual(before);
  });

  it('rebuilds from EventStoreDB when EVENT_STORE says so (through the protocol stand-in)', async () => {
    const onStandin = await startTestApp({ eventStore: 'standin' });
    try {
      const client = await addClient(onStandin, { name: 'In EventStoreDB' });
      const query = `{ authorizationCodeClients { nodes { id name version } } auditTrail { totalCount } }`;
      const before = (await onStandin.gql(query)).data;
      await onStandin.stop();
      const { readModel } = dataFiles(onStandin.dataDir);
      for (const suffix of ['', '-wal', '-shm']) rmSync(readModel + suffix, { force: true });

      const env = { DATA_DIR: onStandin.dataDir, EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: onStandin.standin!.connectionString };
      const { out, cliIo } = io(env);
      expect(await runCli(['rebuild'], cliIo)).toBe(0);
      expect(out.stderr).toMatch(/Rebuilding from the EventStoreDB, esdb:\/\/127\.0\.0\.1/);
      expect(out.stderr).toMatch(/clientList: 1 events applied/);

      await onStandin.restart();
      expect((await onStandin.gql(query)).data).toEqual(before);
      expect(before.authorizationCodeClients.nodes).toEqual([{ id: client.id, name: 'In EventStoreDB', version: 1 }]);
    } finally {
      await onStandin.dispose();
    }
  });

  it('leaves the read model as it was when EventStoreDB cannot be reached', async () => {
    const onStandin = await startTestApp({ eventStore: 'standin' });
    try {
      const client = await addClient(onStandin, { name: 'Kept' });
      await onStandin.stop();
      await onStandin.standin!.stop();
      const env = { DATA_DIR: onStandin.dataDir, EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: onStandin.standin!.connectionString };
      const { out, cliIo } = io(env);
      const started = Date.now();
      expect(await runCli(['rebuild'], cliIo)).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(out.stderr).toMatch(/unavailable.*Nothing was rebuilt; the read model is as it was/);

      await onStandin.standin!.restart();
      await onStandin.restart();
      const read = await onStandin.gql(`query($id: ID!) { authorizationCodeClient(id: $id) { name } }`, { id: client.id });
      expect(read.data.authorizationCodeClient).toEqual({ name: 'Kept' });
    } finally {
      await onStandin.dispose();
    }
  });

  it('says which variable is wrong when the event store is misconfigured', async () => {
    const { out, cliIo } = io({ DATA_DIR: test.dataDir, EVENT_STORE: 'eventstoredb' });
    expect(await runCli(['rebuild'], cliIo)).toBe(1);
    expect(out.stderr).toMatch(/EVENTSTORE_CONNECTION_STRING/);
  });

  it('refuses to rebuild where there are no events', async () => {
    const { out, cliIo } = io({ DATA_DIR: `${test.dataDir}-nothing-here` });
    expect(await runCli(['rebuild'], cliIo)).toBe(1);
    expect(out.stderr).toMatch(/No event store/);
  });
});
