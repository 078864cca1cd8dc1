import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type JSONWebKeySet } from 'jose';
import { entryLeafHash, toHex } from '../../src/audit/logEntry';
import { type SignedTreeHead } from '../../src/audit/signedHead';
import { verifyExport } from '../../src/audit/verifyExport';
import { dataFiles } from '../../src/app';
import { type AuditRow, appendAuditLeaf, logEntryOf } from '../../src/readmodel';
import { type TestApp, addClient, startTestApp } from '../testing/testApp';

/*
 * An operator with file access edits, deletes, reorders and inserts rows, in the read model and in
 * the event store's own file. A head a reviewer kept before must catch each through `verify`, and
 * the service's own integrity check must report each. The careful attacker also repairs every hash
 * and the whole tree afterwards, and deletes the service's memory of the heads it signed.
 */

jest.setTimeout(60_000);

const TENANT = 'tenant-a';
const HEAD = '{ auditLogHead { tenantId treeSize rootHash timestamp signature } }';
const INTEGRITY = '{ auditLogIntegrity { ok eventsTreeSize readModelTreeSize headTreeSize problems } }';

interface World {
  test: TestApp;
  kept: SignedTreeHead;
  keys: JSONWebKeySet;
}

/** Two clients, six entries; the reviewer keeps the head and the key. */
const world = async (): Promise<World> => {
  const test = await startTestApp();
  const a = await addClient(test, { name: 'Alpha' });
  const b = await addClient(test, { name: 'Beta' });
  const run = (query: string, input: Record<string, unknown>) => test.gql(query, { input });
  await run('mutation($input: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $input) { changed } }', { clientId: a.id, name: 'Alpha 2' });
  await run('mutation($input: AddRedirectUrlInput!) { addRedirectUrl(input: $input) { changed } }', { clientId: b.id, url: 'https://beta.example.com/cb2' });
  await run('mutation($input: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $input) { changed } }', { clientId: b.id, name: 'Beta 2' });
  await run('mutation($input: DisableAuthorizationCodeClientInput!) { disableAuthorizationCodeClient(input: $input) { changed } }', { clientId: a.id, reason: 'paused' });
  const kept = (await test.gql(HEAD)).data.auditLogHead as SignedTreeHead;
  expect(kept.treeSize).toBe(6);
  const keys = (await (await fetch(`${test.url}/.well-known/audit-log-jwks.json`)).json()) as JSONWebKeySet;
  return { test, kept: { ...kept, timestamp: new Date(kept.timestamp).toISOString() }, keys };
};

/** Runs SQL on one of the data directory's files while the service is stopped. */
const withFile = async (test: TestApp, file: string, change: (db: Database.Database) => void) => {
  await test.stop();
  const db = new Database(file);
  try {
    change(db);
  } finally {
    db.close();
  }
  await test.restart();
};

/** The careful attacker: every leaf hash recomputed from its row, and the tree rebuilt to match. */
const repairTree = (db: Database.Database) => {
  const rows = db.prepare<[string], AuditRow>('SELECT * FROM audit_entries WHERE tenant_id = ? ORDER BY leaf_index').all(TENANT);
  db.prepare('DELETE FROM audit_log_nodes WHERE tenant_id = ?').run(TENANT);
  for (const row of rows) {
    const hash = entryLeafHash(logEntryOf(row));
    db.prepare('UPDATE audit_entries SET leaf_hash = ? WHERE seq = ?').run(toHex(hash), row.seq);
    appendAuditLeaf(db, TENANT, row.leaf_index, hash);
  }
};

/** Moves leaves at or after `from` by `by`, through a free range so the unique index never clashes. */
const shiftLeaves = (db: Database.Database, from: number, by: number) => {
  db.prepare('UPDATE audit_entries SET leaf_index = leaf_index + 1000000 WHERE tenant_id = ? AND leaf_index >= ?').run(TENANT, from);
  db.prepare('UPDATE audit_entries SET leaf_index = leaf_index - 1000000 + ? WHERE tenant_id = ? AND leaf_index >= 1000000').run(by, TENANT);
};

const READ_MODEL_TAMPERING: [string, (db: Database.Database) => void, boolean][] = [
  ['edits a reason, leaving the hashes', (db) => db.prepare("UPDATE audit_entries SET reason = 'routine' WHERE leaf_index = 5").run(), false],
  ['edits a name and repairs every hash', (db) => db.prepare("UPDATE audit_entries SET client_name = 'Gamma' WHERE leaf_index = 2").run(), true],
  ['deletes an entry and renumbers the rest', (db) => {
    db.prepare('DELETE FROM audit_entries WHERE tenant_id = ? AND leaf_index = 3').run(TENANT);
    shiftLeaves(db, 4, -1);
  }, true],
  ['swaps two entries', (db) => {
    db.prepare('UPDATE audit_entries SET leaf_index = -1 WHERE tenant_id = ? AND leaf_index = 2').run(TENANT);
    db.prepare('UPDATE audit_entries SET leaf_index = 2 WHERE tenant_id = ? AND leaf_index = 3').run(TENANT);
    db.prepare('UPDATE audit_entries SET leaf_index = 3 WHERE tenant_id = ? AND leaf_index = -1').run(TENANT);
  }, true],
  ['inserts a forged entry', (db) => {
    shiftLeaves(db, 2, 1);
    const copy = db.prepare<[string], AuditRow>('SELECT * FROM audit_entries WHERE tenant_id = ? AND leaf_index = 1').get(TENANT)!;
    const { seq: _seq, ...row } = { ...copy, leaf_index: 2, event_id: randomUUID(), reason: 'approved' };
    const columns = Object.keys(row);
    db.prepare(`INSERT INTO audit_entries (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
  }, true],
];

/** Exports through the download, after the attacker removed the service's memory of signed heads. */
const exportAfterCoveringTracks = async (test: TestApp) => {
  await test.stop();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dataFiles(test.dataDir).signedHeads}${suffix}`, { force: true });
  await test.restart();
  const admin = (await test.caller(TENANT)).token;
  const response = await fetch(`${test.url}/audit/export`, { headers: { authorization: `Bearer ${admin}` } });
  expect(response.status).toBe(200);
  const file = path.join(test.dataDir, 'after.ndjson');
  writeFileSync(file, await response.text());
  return file;
};

describe('tampering with the read model', () => {
  it.each(READ_MODEL_TAMPERING)('is caught when an operator %s', async (_what, tamper, repaired) => {
    const { test, kept, keys } = await world();
    try {
      await withFile(test, dataFiles(test.dataDir).readModel, (db) => {
        tamper(db);
        if (repaired) repairTree(db);
      });
      const integrity = (await test.gql(INTEGRITY)).data.auditLogIntegrity;
      expect(integrity).toMatchObject({ ok: false, eventsTreeSize: 6, headTreeSize: 6 });
      expect(integrity.problems[0]).toMatch(/^leaf \d \(event [0-9a-f-]+\) of the read model /);
      if (repaired) {
        // The service itself refuses to sign a head that does not extend the one it signed.
        const refused = await test.gql(HEAD);
        expect(refused.errors![0].message).toMatch(/no longer extends the head signed at size 6/);
      }
      const file = await exportAfterCoveringTracks(test);
      const report = await verifyExport(file, { kept, keys });
      expect(report.ok).toBe(false);
      expect(report.problem).toMatch(
        repaired
          ? /the first 6 entries \(to line \d+\) do not give the kept head's root|the kept head has 6 entries, more than the export's head \(5\)/
          : /line 7: the entry at leaf 5 \(event [0-9a-f-]+\) does not match its leaf hash/,
      );
      // Without the kept head a repaired log is self-consistent: only a head kept before catches it.
      expect(await verifyExport(file, { keys })).toMatchObject({ ok: repaired });
    } finally {
      await test.dispose();
    }
  });

  it('reports nothing when nobody tampered, and the kept head verifies against a later export', async () => {
    const { test, kept, keys } = await world();
    try {
      await addClient(test, { name: 'Later' });
      const integrity = (await test.gql(INTEGRITY)).data.auditLogIntegrity;
      expect(integrity).toEqual({ ok: true, eventsTreeSize: 7, readModelTreeSize: 7, headTreeSize: 6, problems: [] });
      const file = await exportAfterCoveringTracks(test);
      expect(await verifyExport(file, { kept, keys })).toMatchObject({ ok: true, problem: null });
    } finally {
      await test.dispose();
    }
  });
});

/** The events in global order, as the tampering below addresses them: 1 create A, 2 create B, 3 rename A, 4 add URL B, 5 rename B, 6 disable A. */
const EVENT_TAMPERING: [string, (db: Database.Database) => void][] = [
  ['edits an event', (db) => db.prepare(`UPDATE events SET data = json_set(data, '$.name', 'Edited') WHERE position = 3`).run()],
  ['deletes an event', (db) => db.prepare('DELETE FROM events WHERE position = 5').run()],
  ['swaps two events', (db) => {
    db.prepare('UPDATE events SET position = -3 WHERE position = 3').run();
    db.prepare('UPDATE events SET position = 3 WHERE position = 4').run();
    db.prepare('UPDATE events SET position = 4 WHERE position = -3').run();
  }],
  ['inserts a forged event', (db) => {
    db.prepare('UPDATE events SET position = position + 1000 WHERE position >= 3').run();
    db.prepare('UPDATE events SET position = position - 999 WHERE position >= 1000').run();
    const rename = db.prepare<[], { stream_id: string; metadata: string; created: number; data: string }>('SELECT * FROM events WHERE position = 4').get()!;
    db.prepare(`INSERT INTO events (position, event_id, stream_id, revision, type, data, metadata, created) VALUES (3, ?, ?, 99, 'ClientRenamed', json_set(?, '$.name', 'Forged'), ?, ?)`).run(
      randomUUID(),
      rename.stream_id,
      rename.data,
      rename.metadata,
      rename.created,
    );
  }],
];

describe("tampering with the event store's file", () => {
  it.each(EVENT_TAMPERING)('is caught when an operator %s', async (_what, tamper) => {
    const { test, kept, keys } = await world();
    try {
      await withFile(test, dataFiles(test.dataDir).events, (db) => {
        db.exec('DROP TRIGGER IF EXISTS events_are_immutable; DROP TRIGGER IF EXISTS events_are_never_deleted');
        tamper(db);
      });
      const integrity = (await test.gql(INTEGRITY)).data.auditLogIntegrity;
      expect(integrity.ok).toBe(false);
      expect(integrity.problems.join('\n')).toMatch(/the events no longer give the root of the head signed at size 6|differs from the entry the events make/);
      // The careful attacker rebuilds the read model from the edited events and forgets the signed heads.
      await test.stop();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${dataFiles(test.dataDir).readModel}${suffix}`, { force: true });
      await test.restart();
      const file = await exportAfterCoveringTracks(test);
      const report = await verifyExport(file, { kept, keys });
      expect(report.ok).toBe(false);
      expect(report.problem).toMatch(/do not give the kept head's root|the kept head has 6 entries, more than the export's head/);
    } finally {
      await test.dispose();
    }
  });
});
