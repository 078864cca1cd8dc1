import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CliIo, runCli } from '../../src/cli';
import { readOperatorToken } from '../../src/auth';
import { seedRenamedClients } from '../testing/seedEvents';
import { type TestApp, addClient, startTestApp } from '../testing/testApp';

const io = (env: NodeJS.ProcessEnv) => {
  const out = { stdout: '', stderr: '' };
  const cliIo: CliIo = { stdout: (text) => (out.stdout += text), stderr: (text) => (out.stderr += text), env, cwd: process.cwd() };
  return { out, cliIo };
};

describe('cli projections, against the running server', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
    for (let n = 0; n < 5; n += 1) await addClient(test, { name: `Listed ${n}` });
  });
  afterAll(() => test.dispose());

  it('projections status prints each projection\'s state, checkpoint, head and lag', async () => {
    const { out, cliIo } = io({ DATA_DIR: test.dataDir });
    expect(await runCli(['projections', 'status', '--url', test.url], cliIo)).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^projection\s+state\s+checkpoint\s+head\s+lag \(events\)\s+lag \(s\)$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^clientList\s+live\s+5\.5\s+5\.5\s+0\s+0\.0$/),
      expect.stringMatching(/^auditTrail\s+live\s+5\.5\s+5\.5\s+0\s+0\.0$/),
    ]);
    const json = io({ DATA_DIR: test.dataDir });
    expect(await runCli(['projections', 'status', '--url', test.url, '--json'], json.cliIo)).toBe(0);
    expect(JSON.parse(json.out.stdout).projections[0]).toEqual({ name: 'clientList', state: 'live', checkpoint: '5.5', head: '5.5', lagEvents: 0, lagSeconds: 0 });
  });

  it('projections rebuild clientList rebuilds it in the server, drawing progress, and the answers stay the same', async () => {
    const query = '{ authorizationCodeClients(orderBy: { field: NAME }) { totalCount nodes { id name version createdAt } } }';
    const before = (await test.gql(query)).data;
    const { out, cliIo } = io({ DATA_DIR: test.dataDir });
    expect(await runCli(['projections', 'rebuild', 'clientList', '--url', test.url, '--poll', '10'], cliIo)).toBe(0);
    expect(out.stderr).toMatch(/^Rebuilding clientList \(rebuild [0-9a-f-]{36}\)\n/);
    expect(out.stderr).toMatch(/clientList \[[^\]]*\] 100% \| 5\/5 positions/);
    expect(out.stderr).toMatch(/Rebuilt and swapped in: clientList in \d+ ms\n$/);
    expect((await test.gql(query)).data).toEqual(before);
  });

  it('refuses an unknown projection, naming the ones there are, and changes nothing', async () => {
    const { out, cliIo } = io({ DATA_DIR: test.dataDir });
    expect(await runCli(['projections', 'rebuild', 'clients', '--url', test.url], cliIo)).toBe(1);
    expect(out.stderr).toBe('error: No projection named clients; the projections are clientList, auditTrail\n');
  });

  it('says what to do when no server answers or the data directory has no operator token', async () => {
    const down = io({ DATA_DIR: test.dataDir });
    expect(await runCli(['projections', 'status', '--url', 'http://127.0.0.1:1'], down.cliIo)).toBe(1);
    expect(down.out.stderr).toMatch(/^error: No server answers at http:\/\/127\.0\.0\.1:1 .*; start it, or pass --url\n$/);
    const elsewhere = io({ DATA_DIR: '/nonexistent-data-dir' });
    expect(await runCli(['projections', 'status', '--url', test.url], elsewhere.cliIo)).toBe(1);
    expect(elsewhere.out.stderr).toMatch(/^error: No operator token in \/nonexistent-data-dir: start the server/);
    const poll = io({ DATA_DIR: test.dataDir });
    expect(await runCli(['projections', 'rebuild', '--poll', 'soon', '--url', test.url], poll.cliIo)).toBe(2);
    expect(poll.out.stderr).toMatch(/--poll must be whole milliseconds from 10 to 60000/);
  });
});

describe('the operator endpoints', () => {
  let test: TestApp;
  beforeAll(async () => {
    // Enough events that a rebuild is still running when a second one is asked for.
    const dataDir = mkdtempSync(path.join(tmpdir(), 'acc-operator-'));
    await seedRenamedClients(dataDir, 200, 20);
    test = await startTestApp({ dataDir });
  });
  afterAll(() => test.dispose());

  it('refuse a tenant administrator\'s token, the wrong method, a bad body, and a second rebuild while one runs', async () => {
    const admin = await test.caller('tenant-a');
    const operator = readOperatorToken(test.dataDir)!;
    const post = (token: string, body: string) =>
      fetch(`${test.url}/admin/projections/rebuild`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    const asAdmin = await post(admin.token, '{}');
    expect(asAdmin.status).toBe(401);
    expect((await asAdmin.json()).errors[0].message).toMatch(/needs the operator token/);
    const get = await fetch(`${test.url}/admin/projections/rebuild`, { headers: { authorization: `Bearer ${operator}` } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const bad = await post(operator, '{"projections": "clientList"}');
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].extensions.violations).toEqual([
      { field: 'projections', rule: 'json', message: 'The body must be {"projections": ["name", ...]}, or empty for every projection' },
    ]);
    const unknown = await post(operator, '{"projections": ["nope"]}');
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors[0].extensions.violations[0]).toMatchObject({ field: 'projection', rule: 'projection' });

    const both = await Promise.all([post(operator, '{}'), post(operator, '{}')]);
    expect(both.map((answer) => answer.status).sort()).toEqual([202, 409]);
    const refused = both.find((answer) => answer.status === 409)!;
    expect((await refused.json()).errors[0].message).toMatch(/already running: one at a time/);
  });
});
