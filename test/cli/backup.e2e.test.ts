import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { dataFiles } from '../../src/app';
import { type CliIo, runCli } from '../../src/cli';
import { type TestApp, addClient, startTestApp } from '../testing/testApp';

const projectRoot = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

const io = (env: NodeJS.ProcessEnv) => {
  const out = { stdout: '', stderr: '' };
  const cliIo: CliIo = { stdout: (text) => (out.stdout += text), stderr: (text) => (out.stderr += text), env, cwd: process.cwd() };
  return { out, cliIo };
};

interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  created: number;
}

const eventsIn = (file: string): EventRow[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT * FROM events ORDER BY position').all() as EventRow[];
  } finally {
    db.close();
  }
};

const RENAME = `mutation($i: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $i) { changed } }`;

describe('cli backup and restore', () => {
  let test: TestApp;
  beforeAll(async () => {
    await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: projectRoot });
    test = await startTestApp({ eventStore: 'sqlite' });
  }, 180_000);
  afterAll(() => test.dispose());

  it('backs up a consistent prefix while the server writes: whole events, every write acknowledged before it', async () => {
    for (let i = 0; i < 150; i += 1) await addClient(test, { name: `Seed ${i}` });
    const acknowledged: string[] = [];
    let writing = true;
    const writer = async (lane: number) => {
      for (let i = 0; writing; i += 1) {
        const client = await addClient(test, { name: `Lane ${lane} #${i}` });
        await test.gql(RENAME, { i: { clientId: client.id, name: `Lane ${lane} #${i} renamed` } });
        acknowledged.push(client.id);
      }
    };
    const writers = [writer(1), writer(2), writer(3)];
    await new Promise((resolve) => setTimeout(resolve, 300));

    const file = path.join(test.dataDir, 'during-writes.db');
    const ackedBefore = [...acknowledged];
    // Another process, as an operator runs it, while this one keeps appending.
    const { stdout, stderr } = await run(process.execPath, ['dist/src/cli.js', 'backup', file], {
      cwd: projectRoot,
      env: { ...process.env, DATA_DIR: test.dataDir, EVENT_STORE: 'sqlite' },
    });
    const ackedDuring = acknowledged.length - ackedBefore.length;
    writing = false;
    await Promise.all(writers);

    expect(stdout).toBe('');
    const backedUp = eventsIn(file);
    const live = eventsIn(dataFiles(test.dataDir).events);
    expect(stderr).toContain(`Backed up ${backedUp.length} events (to position ${backedUp.length})`);
    expect(ackedDuring).toBeGreaterThan(0);
    expect(live.length).toBeGreaterThan(backedUp.length);
    // A prefix of the log, event for event, field for field.
    expect(backedUp).toEqual(live.slice(0, backedUp.length));
    expect(backedUp.map((row) => row.position)).toEqual(backedUp.map((_, index) => index + 1));
    for (const row of backedUp) {
      expect(() => JSON.parse(row.data) as unknown).not.toThrow();
      expect(() => JSON.parse(row.metadata) as unknown).not.toThrow();
    }
    const streams = new Set(backedUp.map((row) => row.stream_id));
    for (const id of ackedBefore) {
      const stream = [...streams].find((name) => name.endsWith(id));
      expect(stream).toBeDefined();
      // Both the add and the rename were acknowledged before the backup started.
      expect(backedUp.filter((row) => row.stream_id === stream).map((row) => row.revision)).toEqual([0, 1]);
    }
  }, 120_000);

  it('restores a backup into a stopped server’s DATA_DIR and rebuilds the read model from it', async () => {
    const file = path.join(test.dataDir, 'before-later.db');
    const { cliIo: backupIo } = io({ DATA_DIR: test.dataDir });
    expect(await runCli(['backup', file], backupIo)).toBe(0);
    const LIST = `{ authorizationCodeClients { totalCount } auditTrail { totalCount } }`;
    const before = (await test.gql(LIST)).data;
    await addClient(test, { name: 'After the backup' });
    expect((await test.gql(LIST)).data.authorizationCodeClients.totalCount).toBe(before.authorizationCodeClients.totalCount + 1);
    await test.stop();

    const { out, cliIo } = io({ DATA_DIR: test.dataDir });
    expect(await runCli(['restore', file], cliIo)).toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/Restored \d+ events/);
    expect(out.stderr).toMatch(/Read model rebuilt/);
    expect(readdirSync(test.dataDir).some((name) => name.startsWith('events.db.replaced-'))).toBe(true);

    await test.restart();
    expect((await test.gql(LIST)).data).toEqual(before);
  }, 60_000);

  it('refuses to restore a file that is not an event store, and changes nothing', async () => {
    await test.stop();
    try {
      const events = eventsIn(dataFiles(test.dataDir).events).length;
      const garbage = path.join(test.dataDir, 'garbage.db');
      writeFileSync(garbage, 'not a database at all, just some bytes that are long enough to look like a header'.repeat(20));
      const otherDb = path.join(test.dataDir, 'other.db');
      new Database(otherDb).exec('CREATE TABLE t (x)').close();
      for (const [file, why] of [
        [garbage, /garbage\.db is not an event store: SQLite cannot open it/],
        [otherDb, /other\.db is not an event store: it has no events table/],
        [path.join(test.dataDir, 'missing.db'), /missing\.db is not an event store: there is no such file/],
      ] as const) {
        const { out, cliIo } = io({ DATA_DIR: test.dataDir });
        expect(await runCli(['restore', file], cliIo)).toBe(1);
        expect(out.stderr).toMatch(why);
      }
      expect(eventsIn(dataFiles(test.dataDir).events)).toHaveLength(events);
    } finally {
      await test.restart();
    }
  });

  it('refuses to overwrite a file, and refuses with EventStoreDB naming its own backup', async () => {
    const existing = path.join(test.dataDir, 'exists.db');
    writeFileSync(existing, 'keep me');
    const { out, cliIo } = io({ DATA_DIR: test.dataDir });
    expect(await runCli(['backup', existing], cliIo)).toBe(1);
    expect(out.stderr).toMatch(/exists\.db already exists; back up to a new file/);

    const esdb = { DATA_DIR: test.dataDir, EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:1?tls=false' };
    for (const command of ['backup', 'restore']) {
      const { out: refused, cliIo: esdbIo } = io(esdb);
      expect(await runCli([command, path.join(test.dataDir, 'x.db')], esdbIo)).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`${command} refused: with EVENT_STORE=eventstoredb .*EventStoreDB's own backup`));
    }
    expect(existsSync(path.join(test.dataDir, 'x.db'))).toBe(false);
  });
});
