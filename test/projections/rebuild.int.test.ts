import { Writable } from 'node:stream';
import pino from 'pino';
import {
  ALL_PROJECTIONS,
  ProjectionRunner,
  auditTrailProjection,
  clientListProjection,
  readCheckpoint,
  rebuildProjections,
} from '../../projections';
import { clientStreamId } from '../../src/domain/client';
import { silentLogger } from '../../src/logger';
import { type ProjectionWorld, openProjectionWorld, rawMetadataFor, readModelTables, runProjections } from '../testing/projectionSpecification';
import { CLIENT_IDS, richHistory } from './histories';

jest.setTimeout(60_000);

describe('rebuilding the read model from the events', () => {
  let world: ProjectionWorld;
  beforeEach(() => {
    world = openProjectionWorld();
  });
  afterEach(async () => {
    await world.dispose();
  });

  /** Builds a read model the way a running service does: events arrive in several chunks while the runner follows. */
  const buildIncrementally = async (name: string) => {
    const history = richHistory();
    const db = world.readModel(name);
    const runner = new ProjectionRunner({ store: world.store, db, projections: ALL_PROJECTIONS, logger: silentLogger(), batchSize: 4 });
    runner.start();
    for (const chunk of [history.slice(0, 3), history.slice(3, 11), history.slice(11)]) {
      const places = await world.append(chunk);
      await expect(runner.waitForPosition(places.at(-1)!.position, 30_000)).resolves.toBe(true);
    }
    await runner.stop();
    return db;
  };

  it('on a fresh database, equals the incrementally built read model, every table and counter', async () => {
    const incremental = await buildIncrementally('incremental');
    const fresh = world.readModel('fresh');
    const status = await rebuildProjections({ store: world.store, db: fresh, projections: ALL_PROJECTIONS, logger: silentLogger() });
    expect(status.map((s) => [s.name, s.state, s.failure])).toEqual([
      ['clientList', 'stopped', null],
      ['auditTrail', 'stopped', null],
    ]);
    expect(status.every((s) => s.position === `${world.places.at(-1)!.position.commit}.${world.places.at(-1)!.position.prepare}`)).toBe(true);
    expect(readModelTables(fresh)).toEqual(readModelTables(incremental));
  });

  it('on the same database, replaces whatever the tables held with the same read model', async () => {
    const db = await buildIncrementally('incremental');
    const reference = readModelTables(db);
    db.exec(`
      UPDATE clients SET name = 'tampered', name_search = 'tampered', version = 99;
      DELETE FROM client_tags;
      INSERT INTO client_tags (client_id, tenant_id, tag) VALUES ('stray', 'tenant-a', 'stray');
      DELETE FROM audit_entries WHERE seq % 2 = 0;
      UPDATE audit_client_states SET state = '{"status":"absent"}';
    `);
    await rebuildProjections({ store: world.store, db, projections: ALL_PROJECTIONS, logger: silentLogger() });
    expect(readModelTables(db)).toEqual(reference);
    await rebuildProjections({ store: world.store, db, projections: ALL_PROJECTIONS, logger: silentLogger() });
    expect(readModelTables(db)).toEqual(reference);
  });

  it('of an empty store, answers at once with empty tables', async () => {
    const db = world.readModel();
    const status = await rebuildProjections({ store: world.store, db, projections: ALL_PROJECTIONS, logger: silentLogger(), timeoutMs: 30_000 });
    expect(status.map((s) => s.position)).toEqual([null, null]);
    const tables = readModelTables(db);
    expect(tables.clients).toEqual([]);
    expect(tables.audit_entries).toEqual([]);
  });

  it('fails loudly, naming the cause, when an event cannot be projected', async () => {
    await world.append(richHistory().slice(0, 4));
    await world.append([
      { streamId: clientStreamId(CLIENT_IDS[0]), raw: { type: 'ClientArchived', data: { clientId: CLIENT_IDS[0] }, metadata: rawMetadataFor(4) } },
    ]);
    const db = world.readModel();
    await expect(
      rebuildProjections({ store: world.store, db, projections: ALL_PROJECTIONS, logger: silentLogger(), timeoutMs: 30_000 }),
    ).rejects.toThrow(/Rebuild did not finish: ClientArchived is not an authorization code client event/);
  });

  it('rebuilds a projection whose version was bumped when the runner starts, and only that one', async () => {
    const db = await buildIncrementally('incremental');
    const reference = readModelTables(db);
    db.exec(`UPDATE clients SET name = 'stale meaning'; UPDATE audit_entries SET reason = 'kept' WHERE seq = 1;`);

    const logged: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const bumped = { ...clientListProjection, version: clientListProjection.version + 1 };
    const runner = new ProjectionRunner({ store: world.store, db, projections: [bumped, auditTrailProjection], logger: pino(sink) });
    runner.start();
    // Right after start, before any event is applied, the old rows are gone.
    expect(db.prepare('SELECT COUNT(*) AS n FROM clients').get()).toEqual({ n: 0 });
    await expect(runner.waitForPosition(world.places.at(-1)!.position, 30_000)).resolves.toBe(true);
    await runner.stop();

    const tables = readModelTables(db);
    expect(tables.clients).toEqual(reference.clients);
    expect(tables.client_tags).toEqual(reference.client_tags);
    expect(readCheckpoint(db, 'clientList')).toEqual({ version: bumped.version, position: world.places.at(-1)!.position });
    // The audit trail kept its version, so it was not rebuilt: the edited row is still there.
    expect(tables.audit_entries[0].reason).toBe('kept');
    expect(logged).toContainEqual(
      expect.objectContaining({ projection: 'clientList', from: clientListProjection.version, to: bumped.version, level: 40 }),
    );
  });

  it('recreates tables whose shape an older version left different, on a version bump', async () => {
    const db = await buildIncrementally('incremental');
    const reference = readModelTables(db);
    // As if the previous version had an extra column: this version's inserts would not fit it.
    db.exec('ALTER TABLE clients ADD COLUMN legacy_flag INTEGER');
    const bumped = { ...clientListProjection, version: clientListProjection.version + 1 };
    const statuses = await runProjections(world.store, db, { projections: [bumped, auditTrailProjection] });
    expect(statuses.map((status) => status.failure)).toEqual([null, null]);
    const columns = (db.prepare('PRAGMA table_info(clients)').all() as { name: string }[]).map((column) => column.name);
    expect(columns).not.toContain('legacy_flag');
    const tables = readModelTables(db);
    expect(tables.clients).toEqual(reference.clients);
    expect(tables.client_tags).toEqual(reference.client_tags);
  });

  it('rebuilds when started with an older projection version too (the code was rolled back)', async () => {
    const db = await buildIncrementally('incremental');
    const reference = readModelTables(db);
    db.prepare("UPDATE projection_checkpoints SET version = version + 5 WHERE name = 'auditTrail'").run();
    db.exec("UPDATE audit_entries SET reason = 'from a newer release'");
    await runProjections(world.store, db);
    expect(readModelTables(db)).toEqual(reference);
  });

  it('keeps following new events after a bump-triggered rebuild', async () => {
    const db = await buildIncrementally('incremental');
    const bumped = [{ ...clientListProjection, version: 7 }, { ...auditTrailProjection, version: 3 }];
    await runProjections(world.store, db, { projections: bumped });
    await world.append([{ event: { type: 'ClientRenamed', data: { clientId: CLIENT_IDS[0], name: 'Renamed later' } } }]);
    await runProjections(world.store, db, { projections: bumped });
    const fresh = world.readModel('fresh');
    await runProjections(world.store, fresh, { projections: bumped });
    expect(readModelTables(db)).toEqual(readModelTables(fresh));
  });
});
