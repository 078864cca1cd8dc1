import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dataFiles } from '../../src/app';
import { type CliIo, runCli } from '../../src/cli';
import { type TestApp, startTestApp } from '../testing/testApp';

const io = (env: NodeJS.ProcessEnv) => {
  const out = { stdout: '', stderr: '' };
  const cliIo: CliIo = { stdout: (text) => (out.stdout += text), stderr: (text) => (out.stderr += text), env, cwd: process.cwd() };
  return { out, cliIo };
};

/** Every stored event of a data directory's embedded store, oldest first. */
const storedEvents = (dataDir: string) => {
  const db = new Database(dataFiles(dataDir).events, { readonly: true });
  try {
    return db.prepare('SELECT stream_id, revision, type, data, metadata FROM events ORDER BY position').all() as {
      stream_id: string;
      revision: number;
      type: string;
      data: string;
      metadata: string;
    }[];
  } finally {
    db.close();
  }
};

const until = async (what: string, check: () => Promise<boolean>) => {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('cli seed', () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'acc-seed-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('writes exactly the asked clients and events, each history a creation followed by changes, recorded as the seed', async () => {
    const dataDir = freshDir();
    const { out, cliIo } = io({ DATA_DIR: dataDir });
    expect(await runCli(['seed', '--tenant', 'acme', '--clients', '60', '--events-per-client', '7'], cliIo)).toBe(0);
    expect(out.stderr).toMatch(/Seeded 60 clients \(420 events\) for tenant "acme"/);
    const events = storedEvents(dataDir);
    expect(events).toHaveLength(420);
    const streams = new Map<string, typeof events>();
    for (const event of events) streams.set(event.stream_id, [...(streams.get(event.stream_id) ?? []), event]);
    expect(streams.size).toBe(60);
    for (const history of streams.values()) {
      expect(history.map((event) => Number(event.revision))).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(history[0].type).toBe('ClientCreated');
      expect(history.slice(1).map((event) => event.type)).not.toContain('ClientCreated');
    }
    const metadata = events.map((event) => JSON.parse(event.metadata) as { tenantId: string; actor: { id: string }; occurredAt: string });
    expect(new Set(metadata.map((entry) => entry.tenantId))).toEqual(new Set(['acme']));
    expect(new Set(metadata.map((entry) => entry.actor.id))).toEqual(new Set(['seed']));
    const times = metadata.map((entry) => Date.parse(entry.occurredAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // Varied: many names, several kinds of change, more than one form of redirect URL.
    const created = events.filter((event) => event.type === 'ClientCreated').map((event) => JSON.parse(event.data) as { name: string; allowedRedirectUrls: string[] });
    expect(new Set(created.map((client) => client.name)).size).toBeGreaterThan(40);
    expect(new Set(events.map((event) => event.type)).size).toBeGreaterThanOrEqual(8);
    const urls = created.flatMap((client) => client.allowedRedirectUrls);
    expect(urls.some((url) => url.startsWith('https://'))).toBe(true);
    expect(urls.some((url) => url.startsWith('http://127.0.0.1:'))).toBe(true);
    expect(urls.some((url) => /^com\.[a-z0-9]+\.[a-z0-9]+:\//.test(url))).toBe(true);
  });

  it('makes the same names and histories from the same --random-seed, and other ones from another', async () => {
    const shapes = async (seed: string) => {
      const dataDir = freshDir();
      expect(await runCli(['seed', '--tenant', 't', '--clients', '20', '--events-per-client', '4', '--random-seed', seed], io({ DATA_DIR: dataDir }).cliIo)).toBe(0);
      return storedEvents(dataDir).map((event) => `${event.type}:${JSON.stringify({ ...JSON.parse(event.data), clientId: undefined })}`);
    };
    const first = await shapes('42');
    expect(await shapes('42')).toEqual(first);
    expect(await shapes('43')).not.toEqual(first);
  });

  it('seeds beside a running server, whose projections show the clients to their tenant only', async () => {
    const test: TestApp = await startTestApp();
    try {
      const { cliIo } = io({ DATA_DIR: test.dataDir });
      expect(await runCli(['seed', '--tenant', 'seeded', '--clients', '30', '--events-per-client', '5'], cliIo)).toBe(0);
      const { token } = await test.caller('seeded', { roles: ['Tenant Auditor'] });
      const query = '{ auditTrail { totalCount } authorizationCodeClients(first: 100) { totalCount nodes { version createdBy { id } } } }';
      await until('the projections to show 150 audit entries', async () => (await test.gql(query, {}, { token })).data?.auditTrail.totalCount === 150);
      const { data } = await test.gql(query, {}, { token });
      const deleted = storedEvents(test.dataDir).filter((event) => event.type === 'ClientDeleted').length;
      expect(data.authorizationCodeClients.totalCount).toBe(30 - deleted);
      for (const node of data.authorizationCodeClients.nodes) expect(node).toEqual({ version: 5, createdBy: { id: 'seed' } });
      const other = await test.gql('{ authorizationCodeClients { totalCount } auditTrail { totalCount } }');
      expect(other.data).toEqual({ authorizationCodeClients: { totalCount: 0 }, auditTrail: { totalCount: 0 } });
    } finally {
      await test.dispose();
    }
  });

  it.each([
    [['--tenant', 'acme', '--clients', '0'], /--clients must be a whole number from 1/],
    [['--tenant', 'acme', '--clients', 'many'], /--clients must be a whole number/],
    [['--tenant', 'acme', '--clients', '5', '--events-per-client', '0'], /--events-per-client must be a whole number from 1 to 1000/],
    [['--tenant', ' acme', '--clients', '5'], /--tenant/],
    [['--clients', '5'], /--tenant/],
  ])('refuses %j with a usage error and writes nothing', async (args, message) => {
    const dataDir = freshDir();
    const { out, cliIo } = io({ DATA_DIR: dataDir });
    expect(await runCli(['seed', ...args], cliIo)).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(() => storedEvents(dataDir)).toThrow();
  });
});
