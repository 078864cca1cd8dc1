import { writeFileSync } from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import * as jose from 'jose';
import { fromHex } from '../../src/audit/logEntry';
import { MemoryMerkleTree, verifyConsistency, verifyInclusion } from '../../src/audit/merkle';
import { verifyExport } from '../../src/audit/verifyExport';
import { ROLES } from '../../src/auth';
import { type TestApp, addClient, errorCode, startTestApp } from '../testing/testApp';

const HEAD = '{ auditLogHead { tenantId treeSize rootHash timestamp signature } }';
const ENTRIES = '{ auditTrail(first: 100) { nodes { id leafIndex leafHash action clientId version } } }';
const INCLUSION = `query($id: ID!, $size: Int) { auditInclusionProof(entryId: $id, treeSize: $size) { leafIndex fromSize treeSize rootHash hashes } }`;
const CONSISTENCY = `query($from: Int!, $to: Int) { auditConsistencyProof(fromSize: $from, toSize: $to) { leafIndex fromSize treeSize rootHash hashes } }`;
const RENAME = `mutation($input: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $input) { changed } }`;

const bytes = (hex: string) => fromHex(hex)!;

describe('the verifiable audit log over GraphQL and HTTP', () => {
  let test: TestApp;
  let adminB: string;
  let clientIds: string[];

  beforeAll(async () => {
    test = await startTestApp();
    clientIds = [];
    for (const name of ['One', 'Two', 'Three']) clientIds.push((await addClient(test, { name })).id);
    await test.gql(RENAME, { input: { clientId: clientIds[0], name: 'One renamed', reason: 'typo' } });
    adminB = (await test.caller('tenant-b')).token;
    await addClient(test, { name: 'B only' }, adminB);
  });
  afterAll(() => test.dispose());

  const entries = async (token?: string) =>
    ((await test.gql(ENTRIES, {}, { token })).data.auditTrail.nodes as { id: string; leafIndex: number; leafHash: string; clientId: string }[]).reverse();

  it('numbers each tenant\'s entries 0..n-1 and signs a head over exactly their leaf hashes', async () => {
    const own = await entries();
    expect(own.map((entry) => entry.leafIndex)).toEqual([0, 1, 2, 3]);
    expect(own.map((entry) => (entry as unknown as { version: number }).version)).toEqual([1, 1, 1, 2]);
    const tree = new MemoryMerkleTree();
    own.forEach((entry) => tree.append(bytes(entry.leafHash)));
    const { data } = await test.gql(HEAD);
    const head = data.auditLogHead;
    expect(head).toMatchObject({ tenantId: 'tenant-a', treeSize: 4, rootHash: Buffer.from(tree.root()).toString('hex') });

    const jwks = (await (await fetch(`${test.url}/.well-known/audit-log-jwks.json`)).json()) as jose.JSONWebKeySet;
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const { payload, protectedHeader } = await jose.compactVerify(head.signature, jose.createLocalJWKSet(jwks));
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: jwks.keys[0].kid, typ: 'audit-log-head+jws' });
    const { signature: _signature, ...stated } = head;
    expect(Buffer.from(payload).toString('utf8')).toBe(canonicalize({ ...stated, timestamp: new Date(head.timestamp).toISOString() }));

    const other = (await test.gql(HEAD, {}, { token: adminB })).data.auditLogHead;
    expect(other).toMatchObject({ tenantId: 'tenant-b', treeSize: 1 });
  });

  it('answers the same head while the log has not grown, and a head that provably extends it after a change', async () => {
    const first = (await test.gql(HEAD)).data.auditLogHead;
    expect((await test.gql(HEAD)).data.auditLogHead).toEqual(first);
    await test.gql(RENAME, { input: { clientId: clientIds[1], name: 'Two renamed' } });
    const later = (await test.gql(HEAD)).data.auditLogHead;
    expect(later.treeSize).toBe(first.treeSize + 1);
    const proof = (await test.gql(CONSISTENCY, { from: first.treeSize })).data.auditConsistencyProof;
    expect(proof).toMatchObject({ leafIndex: null, fromSize: first.treeSize, treeSize: later.treeSize, rootHash: later.rootHash });
    expect(verifyConsistency(first.treeSize, later.treeSize, bytes(first.rootHash), bytes(later.rootHash), proof.hashes.map(bytes))).toBe(true);
    expect(verifyConsistency(first.treeSize, later.treeSize, bytes(later.rootHash), bytes(later.rootHash), proof.hashes.map(bytes))).toBe(false);
  });

  it('proves every entry is in every tree that holds it', async () => {
    const own = await entries();
    for (const entry of own) {
      for (let size = entry.leafIndex + 1; size <= own.length; size += 1) {
        const proof = (await test.gql(INCLUSION, { id: entry.id, size })).data.auditInclusionProof;
        expect(proof).toMatchObject({ leafIndex: entry.leafIndex, fromSize: null, treeSize: size });
        expect(verifyInclusion(entry.leafIndex, size, bytes(entry.leafHash), proof.hashes.map(bytes), bytes(proof.rootHash))).toBe(true);
      }
    }
    const whole = (await test.gql(INCLUSION, { id: own[0].id })).data.auditInclusionProof;
    expect(whole.treeSize).toBe(own.length);
  });

  it("answers another tenant's entry exactly like a missing one, and refuses sizes the log does not have", async () => {
    const [theirs] = await entries(adminB);
    const foreign = await test.gql(INCLUSION, { id: theirs.id });
    const missing = await test.gql(INCLUSION, { id: '00000000-0000-4000-8000-000000000000' });
    expect(errorCode(foreign)).toBe('NOT_FOUND');
    expect(errorCode(missing)).toBe('NOT_FOUND');
    expect(foreign.errors![0].message.replace(theirs.id, 'ID')).toBe(missing.errors![0].message.replace('00000000-0000-4000-8000-000000000000', 'ID'));
    const own = await entries();
    const size = own.length;
    const cases: [string, Record<string, unknown>, string][] = [
      [INCLUSION, { id: own[0].id, size: size + 1 }, `treeSize must be at most the log's current size, ${size}; it is ${size + 1}`],
      [INCLUSION, { id: own[2].id, size: 2 }, 'The entry is leaf 2: treeSize must be more than 2 to include it; it is 2'],
      [INCLUSION, { id: own[0].id, size: 0 }, 'treeSize must be a whole number of at least 1; it is 0'],
      [CONSISTENCY, { from: 1, to: size + 1 }, `toSize must be at most the log's current size, ${size}; it is ${size + 1}`],
      [CONSISTENCY, { from: size + 1 }, `fromSize must be at most the log's current size, ${size}; it is ${size + 1}`],
      [CONSISTENCY, { from: 3, to: 2 }, 'fromSize must be at most toSize, 2; it is 3'],
      [CONSISTENCY, { from: -1 }, 'fromSize must be a whole number of at least 0; it is -1'],
    ];
    for (const [query, variables, message] of cases) {
      const answer = await test.gql(query, variables);
      expect(errorCode(answer)).toBe('BAD_USER_INPUT');
      expect(answer.errors![0].extensions.violations).toEqual([expect.objectContaining({ rule: 'treeSize', message })]);
    }
    expect((await test.gql(HEAD)).data.auditLogHead.treeSize).toBe(size);
  });

  it('lets an auditor read heads and proofs, and nobody without a reading role', async () => {
    const auditor = (await test.caller('tenant-a', { roles: [ROLES.auditor] })).token;
    expect((await test.gql(HEAD, {}, { token: auditor })).data.auditLogHead.tenantId).toBe('tenant-a');
    const stranger = (await test.caller('tenant-a', { roles: ['Viewer'] })).token;
    expect(errorCode(await test.gql(HEAD, {}, { token: stranger }))).toBe('FORBIDDEN');
  });

  it('finds the log whole when recomputed from the events, whichever store holds them', async () => {
    const size = (await test.gql(HEAD)).data.auditLogHead.treeSize;
    const { data } = await test.gql('{ auditLogIntegrity { ok tenantId eventsTreeSize readModelTreeSize headTreeSize rootHash problems } }');
    expect(data.auditLogIntegrity).toEqual({
      ok: true,
      tenantId: 'tenant-a',
      eventsTreeSize: size,
      readModelTreeSize: size,
      headTreeSize: size,
      rootHash: (await test.gql(HEAD)).data.auditLogHead.rootHash,
      problems: [],
    });
  });

  describe('the export download', () => {
    const download = (query: string, token: string | null) =>
      fetch(`${test.url}/audit/export${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    it('needs a token, and streams an NDJSON export that verifies offline with the served key', async () => {
      expect((await download('', null)).status).toBe(401);
      const admin = (await test.caller('tenant-a')).token;
      const response = await download('', admin);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-log-tenant-a-\d+\.ndjson"$/);
      const text = await response.text();
      const lines = text.trim().split('\n').map((line) => JSON.parse(line));
      expect(lines[0]).toMatchObject({ type: 'export', format: 'audit-log-export/1', tenantId: 'tenant-a' });
      expect(lines.at(-1).type).toBe('head');
      expect(lines.filter((line) => line.type === 'entry').map((line) => line.entry.leafIndex)).toEqual([...Array(lines[0].treeSize).keys()]);
      const file = path.join(test.dataDir, 'download.ndjson');
      writeFileSync(file, text);
      const keys = (await (await fetch(`${test.url}/.well-known/audit-log-jwks.json`)).json()) as jose.JSONWebKeySet;
      const report = await verifyExport(file, { keys });
      expect(report).toMatchObject({ ok: true, problem: null });
    });

    it("filters by client and time, each entry carrying its audit path, and as CSV too; both verify", async () => {
      const admin = (await test.caller('tenant-a')).token;
      const keys = (await (await fetch(`${test.url}/.well-known/audit-log-jwks.json`)).json()) as jose.JSONWebKeySet;
      for (const format of ['ndjson', 'csv']) {
        const response = await download(`?client=${clientIds[0].toUpperCase()}&from=2000-01-01T00:00:00Z&format=${format}`, admin);
        expect(response.status).toBe(200);
        const file = path.join(test.dataDir, `client.${format}`);
        const text = await response.text();
        writeFileSync(file, text);
        expect(await verifyExport(file, { keys })).toMatchObject({ problem: null, ok: true });
        if (format === 'ndjson') {
          const records = text.trim().split('\n').map((line) => JSON.parse(line));
          const own = records.filter((record) => record.type === 'entry');
          expect(own.map((record) => record.entry.clientId)).toEqual([clientIds[0], clientIds[0]]);
          expect(own.every((record) => Array.isArray(record.proof))).toBe(true);
        } else {
          expect(text.split('\n')[0]).toBe('record,leafIndex,occurredAt,action,clientId,clientName,version,actorId,actorName,reason,operationId,correlationId,eventId,changes,leafHash,proof,json');
        }
      }
    });

    it('refuses a bad filter with every violation, naming field and rule', async () => {
      const admin = (await test.caller('tenant-a')).token;
      const response = await download('?client=nope&from=yesterday&format=xml&since=-1', admin);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { extensions: { code: string; violations: { field: string; rule: string }[] } }[] };
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].extensions.violations.map(({ field, rule }) => `${field}:${rule}`)).toEqual([
        'client:uuid',
        'from:time',
        'format:request',
        'since:treeSize',
      ]);
      const beyond = await download('?since=1000', admin);
      expect(beyond.status).toBe(400);
    });
  });
});
