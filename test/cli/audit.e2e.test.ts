import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedEvents } from '../../bench/seed';
import { type CliIo, runCli } from '../../src/cli';
import { type TestApp, addClient, startTestApp } from '../testing/testApp';

jest.setTimeout(120_000);

const cli = async (args: string[], env: NodeJS.ProcessEnv) => {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = { stdout: (text) => (out.stdout += text), stderr: (text) => (out.stderr += text), env, cwd: process.cwd() };
  const code = await runCli(args, io);
  return { code, ...out };
};

const HEAD = '{ auditLogHead { tenantId treeSize rootHash timestamp signature } }';
const RENAME = `mutation($input: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $input) { changed } }`;

describe('cli audit export, verify and key, beside a running server', () => {
  let test: TestApp;
  let env: NodeJS.ProcessEnv;
  let keyFile: string;
  let keptFile: string;
  let formula: string;
  const file = (name: string) => path.join(test.dataDir, name);

  beforeAll(async () => {
    test = await startTestApp();
    env = { DATA_DIR: test.dataDir };
    formula = (await addClient(test, { name: '=HYPERLINK("https://evil.example")' })).id;
    await addClient(test, { name: 'Plain, "quoted", and commas' });
    keptFile = file('kept-head.json');
    writeFileSync(keptFile, JSON.stringify((await test.gql(HEAD)).data));
    await test.gql(RENAME, { input: { clientId: formula, name: '+SUM(A1)', reason: '-1' } });
    const key = await cli(['audit', 'key'], env);
    expect(key.code).toBe(0);
    keyFile = file('audit-key.jwks.json');
    writeFileSync(keyFile, key.stdout);
  });
  afterAll(() => test.dispose());

  it('prints the public key as the JWKS the server serves', async () => {
    const served = await (await fetch(`${test.url}/.well-known/audit-log-jwks.json`)).json();
    expect(JSON.parse(readFileSync(keyFile, 'utf8'))).toEqual(served);
  });

  it('exports while the server runs, and verifies the file against the key and a head kept earlier', async () => {
    for (const format of ['ndjson', 'csv']) {
      const exported = await cli(['audit', 'export', '--tenant', 'tenant-a', '--format', format, '--output', file(`all.${format}`)], env);
      expect(exported).toMatchObject({ code: 0, stdout: '' });
      expect(exported.stderr).toMatch(/Exported the audit log of tenant "tenant-a" at 3 entries, root [0-9a-f]{64}/);
      const verified = await cli(['audit', 'verify', file(`all.${format}`), '--head', keptFile, '--key', keyFile], env);
      expect(verified.stderr).toBe('');
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(/^3 entries of tenant tenant-a checked against the head of 3 entries, root [0-9a-f]{64}\nsigned by the audit key at .*\nextends the kept head of 2 entries .*\nverified\n$/);
    }
  });

  it('writes to stdout when no file is named, and keeps spreadsheets from running cells as formulas', async () => {
    const csv = await cli(['audit', 'export', '--tenant', 'tenant-a', '--format', 'csv'], env);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain(`,"'=HYPERLINK(""https://evil.example"")",`);
    expect(csv.stdout).toContain(",'+SUM(A1),");
    expect(csv.stdout).toContain(",'-1,");
    const ndjson = await cli(['audit', 'export', '--tenant', 'tenant-a'], env);
    expect(ndjson.stdout.trim().split('\n').map((line) => JSON.parse(line).type)).toEqual(['export', 'entry', 'entry', 'entry', 'head']);
  });

  it("exports one client's entries with their proofs and a consistency proof from a kept size, and verifies both", async () => {
    const exported = await cli(['audit', 'export', '--tenant', 'tenant-a', '--client', formula, '--since', '2', '--output', file('client.ndjson')], env);
    expect(exported.code).toBe(0);
    const verified = await cli(['audit', 'verify', file('client.ndjson'), '--head', keptFile, '--key', keyFile], env);
    expect(verified.stdout).toMatch(/2 entries of tenant tenant-a .*\n.*\nextends the kept head of 2 entries \(consistency proof checked\)\nverified\n$/);
    expect(verified.code).toBe(0);
    const withoutProof = await cli(['audit', 'export', '--tenant', 'tenant-a', '--client', formula, '--output', file('client-only.ndjson')], env);
    expect(withoutProof.code).toBe(0);
    const refused = await cli(['audit', 'verify', file('client-only.ndjson'), '--head', keptFile, '--key', keyFile], env);
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.stderr).toBe('error: verification FAILED: a filtered export shows it extends a kept head only with a consistency proof: export it with since=2\n');
  });

  it('names the first entry that does not match, a malformed line, a wrong key, and exits 1', async () => {
    const lines = readFileSync(file('all.ndjson'), 'utf8').trimEnd().split('\n');
    const edited = lines.map((line, index) => (index === 2 ? line.replace('Plain', 'Plane') : line));
    writeFileSync(file('edited.ndjson'), `${edited.join('\n')}\n`);
    const changed = await cli(['audit', 'verify', file('edited.ndjson'), '--key', keyFile], env);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/^error: verification FAILED: line 3: the entry at leaf 1 \(event [0-9a-f-]{36}\) does not match its leaf hash: the entry was changed\n$/);

    writeFileSync(file('malformed.ndjson'), `${[lines[0], '{"type":"entry",', ...lines.slice(1)].join('\n')}\n`);
    expect((await cli(['audit', 'verify', file('malformed.ndjson')], env)).stderr).toBe('error: verification FAILED: line 2: not JSON\n');
    writeFileSync(file('shapeless.ndjson'), `${[lines[0], '{"type":"entry","entry":{"leafIndex":"0"}}', ...lines.slice(1)].join('\n')}\n`);
    expect((await cli(['audit', 'verify', file('shapeless.ndjson')], env)).stderr).toBe(
      'error: verification FAILED: line 2: the entry\'s "leafIndex" is missing or not of its type\n',
    );

    const csv = readFileSync(file('all.csv'), 'utf8').replace("'+SUM(A1)", 'Innocent');
    writeFileSync(file('edited.csv'), csv);
    const cell = await cli(['audit', 'verify', file('edited.csv'), '--key', keyFile], env);
    expect(cell.code).toBe(1);
    expect(cell.stderr).toMatch(/FAILED: line \d+: the "clientName" cell says "Innocent", but the entry's canonical bytes say "'\+SUM\(A1\)"/);

    const other = mkdtempSync(path.join(tmpdir(), 'acc-other-key-'));
    try {
      const otherKey = await cli(['audit', 'key'], { DATA_DIR: other });
      writeFileSync(path.join(other, 'jwks.json'), otherKey.stdout);
      const wrong = await cli(['audit', 'verify', file('all.ndjson'), '--key', path.join(other, 'jwks.json')], env);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/^error: verification FAILED: the export head does not verify: its signature does not verify with the given key/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses bad options with the rule they break, changing nothing', async () => {
    const bad = await cli(['audit', 'export', '--tenant', 'tenant-a', '--client', 'nope', '--from', 'yesterday', '--format', 'xml'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'error: client must be a client id (a UUID); it is "nope"; from must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T00:00:00Z; it is "yesterday"; format must be ndjson or csv; it is "xml"\n',
    );
    const beyond = await cli(['audit', 'export', '--tenant', 'tenant-a', '--since', '99'], env);
    expect(beyond).toMatchObject({ code: 2, stderr: "error: since must be at most the log's size, 3; it is 99\n" });
    expect((await cli(['audit', 'verify', file('missing.ndjson')], env)).stderr).toMatch(/No export file/);
    writeFileSync(file('not-a-head.json'), '{"hello":1}');
    expect((await cli(['audit', 'verify', file('all.ndjson'), '--head', file('not-a-head.json')], env)).stderr).toMatch(/is not a signed tree head/);
    expect((await test.gql(HEAD)).data.auditLogHead.treeSize).toBe(3);
  });
});

describe('cli audit verify at scale', () => {
  it('verifies a 100,000-entry export in under a minute, in constant memory', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'acc-audit-100k-'));
    try {
      expect(await seedEvents(dataDir, 10_000, 9)).toBe(100_000);
      const env = { DATA_DIR: dataDir };
      expect((await cli(['rebuild'], env)).code).toBe(0);
      const exportFile = path.join(dataDir, 'bench.ndjson');
      expect((await cli(['audit', 'export', '--tenant', 'bench', '--output', exportFile], env)).code).toBe(0);
      writeFileSync(path.join(dataDir, 'jwks.json'), (await cli(['audit', 'key'], env)).stdout);
      const started = Date.now();
      const verified = await cli(['audit', 'verify', exportFile, '--key', path.join(dataDir, 'jwks.json')], env);
      const seconds = (Date.now() - started) / 1000;
      expect(verified.stdout).toMatch(/^100000 entries of tenant bench checked against the head of 100000 entries/);
      expect(verified.code).toBe(0);
      expect(seconds).toBeLessThan(60);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
