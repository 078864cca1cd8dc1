import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readOperatorToken } from '../../src/auth';
import { seedRenamedClients } from '../testing/seedEvents';
import { type GqlResponse, type TestApp, startTestApp } from '../testing/testApp';

const CLIENTS = 1000;
const EVENTS_PER_CLIENT = 50;
const EVENTS = CLIENTS * EVENTS_PER_CLIENT;

const QUERY = `{
  authorizationCodeClients(first: 3, filter: { search: "Seeded 7" }, orderBy: { field: NAME, direction: ASC }) { totalCount nodes { name version } }
  all: authorizationCodeClients(first: 1) { totalCount }
  auditTrail(first: 1) { totalCount nodes { action } }
}`;

describe('online rebuild of 50,000 events', () => {
  let test: TestApp;
  let operator: string;
  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'acc-rebuild-'));
    // 50,000 events written straight to the embedded store: each client created, then renamed 49 times.
    await seedRenamedClients(dataDir, CLIENTS, EVENTS_PER_CLIENT);
    test = await startTestApp({ dataDir });
    expect(await test.app.projections.waitUntilLive(120_000)).toBe(true);
    operator = readOperatorToken(dataDir)!;
  }, 180_000);
  afterAll(() => test.dispose());

  const admin = (pathname: string, init: RequestInit = {}) =>
    fetch(`${test.url}${pathname}`, { ...init, headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' } });

  it('answers every query throughout, never with an error or a half-built answer, then swaps the new tables in', async () => {
    const before = await test.gql(QUERY);
    expect(before.errors).toBeUndefined();
    expect(before.data.all.totalCount).toBe(CLIENTS);
    expect(before.data.auditTrail.totalCount).toBe(EVENTS);

    const started = await admin('/admin/projections/rebuild', { method: 'POST', body: '{}' });
    expect(started.status).toBe(202);
    const { rebuild } = (await started.json()) as { rebuild: { id: string; projections: string[] } };
    expect(rebuild.projections).toEqual(['clientList', 'auditTrail']);

    // Query without pause until the rebuild ends, and write once in the middle of it.
    const answers: GqlResponse[] = [];
    let state = 'running';
    let renamed = false;
    let slowest = 0;
    const progress: number[] = [];
    const startedAt = Date.now();
    while (state === 'running') {
      const asked = Date.now();
      answers.push(await test.gql(QUERY));
      slowest = Math.max(slowest, Date.now() - asked);
      const report = (await (await admin('/admin/projections')).json()) as { rebuild: { state: string; position: number; current: string | null } };
      state = report.rebuild.state;
      if (report.rebuild.current === 'clientList') progress.push(report.rebuild.position);
      if (!renamed && report.rebuild.position > EVENTS / 4) {
        renamed = true;
        const some = await test.gql(`{ authorizationCodeClients(first: 1, filter: { search: "Seeded 7 v" }) { nodes { id version } } }`);
        const target = some.data.authorizationCodeClients.nodes[0];
        const rename = await test.gql(`mutation($i: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $i) { changed } }`, {
          i: { clientId: target.id, name: 'Renamed during the rebuild' },
        });
        expect(rename.errors).toBeUndefined();
      }
      expect(Date.now() - startedAt).toBeLessThan(120_000);
    }
    expect(state).toBe('done');
    expect(renamed).toBe(true);
    // The progress the CLI draws moved forwards.
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[progress.length - 1]).toBeGreaterThan(progress[0]);

    expect(answers.length).toBeGreaterThan(10);
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data.all.totalCount).toBe(CLIENTS);
      // Every audit entry there, or one more once the rename landed: never a part of the trail.
      expect([EVENTS, EVENTS + 1]).toContain(answer.data.auditTrail.totalCount);
      for (const node of answer.data.authorizationCodeClients.nodes) {
        expect(node.version).toBe(EVENTS_PER_CLIENT);
        expect(node.name).toMatch(new RegExp(`^Seeded 7\\d* v${EVENTS_PER_CLIENT}$`));
      }
    }

    const after = await test.gql(`{ authorizationCodeClients(filter: { search: "Renamed during" }) { totalCount nodes { version } } auditTrail(first: 1) { totalCount nodes { action } } }`);
    expect(after.data.authorizationCodeClients).toEqual({ totalCount: 1, nodes: [{ version: EVENTS_PER_CLIENT + 1 }] });
    expect(after.data.auditTrail).toEqual({ totalCount: EVENTS + 1, nodes: [{ action: 'client.renamed' }] });
    const status = (await (await admin('/admin/projections')).json()) as { projections: { name: string; state: string; lagEvents: number }[] };
    expect(status.projections.map(({ name, state, lagEvents }) => ({ name, state, lagEvents }))).toEqual([
      { name: 'clientList', state: 'live', lagEvents: 0 },
      { name: 'auditTrail', state: 'live', lagEvents: 0 },
    ]);
    console.log(`online rebuild of ${EVENTS} events (both projections): ${Date.now() - startedAt} ms, ${answers.length} queries answered meanwhile, the slowest in ${slowest} ms`);
  }, 180_000);
});
