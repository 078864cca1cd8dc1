import {
  ALL_PROJECTIONS,
  DEFAULT_BATCH_SIZE,
  MAX_BATCH_SIZE,
  MIN_BATCH_SIZE,
  type Projection,
  ProjectionRunner,
  auditTrailProjection,
  checkBatchSize,
  checkpointStore,
  clientListProjection,
  rebuildProjections,
} from '../../projections';
import * as upcast from '../../src/domain/client/upcast';
import { type EventStore, type SubscribeToAllOptions } from '../../src/eventstore';
import { silentLogger } from '../../src/logger';
import { type ReadModelDatabase } from '../../src/readmodel';
import {
  type ProjectionWorld,
  created,
  openProjectionWorld,
  readModelTables,
  runProjections,
  storeUpTo,
} from '../testing/projectionSpecification';
import { CLIENT_IDS, richHistory } from './histories';

jest.setTimeout(60_000);

/** A projection that records, for every call of `apply`, how many events it got and whether a transaction was open. */
const recording = (projection: Projection) => {
  const calls: { size: number; inTransaction: boolean }[] = [];
  const wrapped: Projection = {
    ...projection,
    apply(events, db) {
      calls.push({ size: events.length, inTransaction: db.inTransaction });
      projection.apply(events, db);
    },
  };
  return { wrapped, calls };
};

/** Counts, per key, the rows written to an existing `table` (by TEMP triggers, which see every write of this handle). */
const countWrites = (db: ReadModelDatabase, table: string, key: string): (() => Map<string, number>) => {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS writes_${table} (key TEXT NOT NULL)`);
  for (const operation of ['INSERT', 'UPDATE']) {
    db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS count_${operation}_${table} AFTER ${operation} ON main.${table}
      BEGIN INSERT INTO writes_${table} (key) VALUES (NEW.${key}); END`);
  }
  return () => {
    const rows = db.prepare<[], { key: string; n: number }>(`SELECT key, COUNT(*) AS n FROM writes_${table} GROUP BY key`).all();
    return new Map(rows.map((row) => [row.key, row.n]));
  };
};

/** The store, with every subscription it starts recorded. */
const countingSubscriptions = (store: EventStore) => {
  const starts: SubscribeToAllOptions[] = [];
  const wrapped: EventStore = {
    appendToStream: (...args) => store.appendToStream(...args),
    readStream: (...args) => store.readStream(...args),
    close: () => store.close(),
    subscribeToAll(options = {}) {
      starts.push(options);
      return store.subscribeToAll(options);
    },
  };
  return { store: wrapped, starts };
};

describe('projections applied in batches', () => {
  let world: ProjectionWorld;
  beforeEach(async () => {
    world = openProjectionWorld();
    await world.append(richHistory());
  });
  afterEach(async () => {
    await world.dispose();
  });

  it('hand each projection many events per call, inside a transaction, with one checkpoint write per batch', async () => {
    const db = world.readModel();
    checkpointStore(db);
    const checkpointWrites = countWrites(db, 'projection_checkpoints', 'name');
    const list = recording(clientListProjection);
    const audit = recording(auditTrailProjection);
    await runProjections(world.store, db, { projections: [list.wrapped, audit.wrapped], batchSize: 4 });

    for (const { calls } of [list, audit]) {
      expect(calls.every((call) => call.inTransaction && call.size >= 1 && call.size <= 4)).toBe(true);
      expect(calls.reduce((sum, call) => sum + call.size, 0)).toBe(richHistory().length);
      expect(Math.max(...calls.map((call) => call.size))).toBe(4);
    }
    // The checkpoint row is written once when created (reset), then once per batch.
    expect(checkpointWrites()).toEqual(new Map([['clientList', 1 + list.calls.length], ['auditTrail', 1 + audit.calls.length]]));
  });

  it('give the same tables whatever the batch size', async () => {
    const reference = world.readModel('one-by-one');
    await runProjections(world.store, reference, { batchSize: 1 });
    for (const batchSize of [2, 5, MAX_BATCH_SIZE]) {
      const db = world.readModel(`batches-of-${batchSize}`);
      await runProjections(world.store, db, { batchSize });
      expect(readModelTables(db)).toEqual(readModelTables(reference));
    }
  });

  it("store each client's audit state once per batch, not once per event", async () => {
    const db = world.readModel();
    // The first event (the portal's creation) creates the tables; every other event comes in one batch.
    const first = world.places[0].position;
    await runProjections(storeUpTo(world.store, first), db, { projections: [auditTrailProjection], until: first });
    const stateWrites = countWrites(db, 'audit_client_states', 'client_id');
    await runProjections(world.store, db, { projections: [auditTrailProjection] });
    const [portal] = CLIENT_IDS;
    expect(richHistory().filter((given) => given.event.data.clientId === portal).length).toBeGreaterThan(10);
    expect(stateWrites().get(portal)).toBe(1);
    expect(readModelTables(db).audit_entries).toHaveLength(richHistory().length);
  });

  it('are fed by one subscription, starting at the lowest checkpoint, that reads each event once', async () => {
    const db = world.readModel();
    const reads = jest.spyOn(upcast, 'readClientEvent');
    try {
      const first = countingSubscriptions(world.store);
      await runProjections(first.store, db);
      expect(first.starts).toHaveLength(1);
      expect(first.starts[0].fromPosition).toBe('start');
      expect(reads).toHaveBeenCalledTimes(richHistory().length);

      // The client list rebuilt after a version bump, the audit trail ahead: one subscription from the start again.
      await world.append([{ event: created(CLIENT_IDS[4]) }]);
      reads.mockClear();
      const bumped = { ...clientListProjection, version: clientListProjection.version + 1 };
      const second = countingSubscriptions(world.store);
      await runProjections(second.store, db, { projections: [bumped, auditTrailProjection] });
      expect(second.starts.map((start) => start.fromPosition)).toEqual(['start']);
      expect(reads).toHaveBeenCalledTimes(richHistory().length + 1);

      const third = countingSubscriptions(world.store);
      await runProjections(third.store, db, { projections: [bumped, auditTrailProjection] });
      expect(third.starts.map((start) => start.fromPosition)).toEqual([world.places.at(-1)!.position]);
    } finally {
      reads.mockRestore();
    }
  });

  it('in a rebuild are as large as allowed unless a size is given', async () => {
    const db = world.readModel();
    checkpointStore(db);
    const checkpointWrites = countWrites(db, 'projection_checkpoints', 'name');
    await world.append(Array.from({ length: 2 * DEFAULT_BATCH_SIZE }, (_, n) => ({ event: created(`1f000000-0000-4000-8000-${String(n).padStart(12, '0')}`) })));
    await rebuildProjections({ store: world.store, db, projections: ALL_PROJECTIONS, logger: silentLogger() });
    // Reset to version 0 by the rebuild, to the projection's version as it starts, then one batch.
    expect(checkpointWrites()).toEqual(new Map([['clientList', 3], ['auditTrail', 3]]));
  });
});

describe('the batch size', () => {
  it('is 500 unless given, and must be a whole number from 1 to 10000', () => {
    expect([DEFAULT_BATCH_SIZE, MIN_BATCH_SIZE, MAX_BATCH_SIZE]).toEqual([500, 1, 10_000]);
    expect(checkBatchSize(undefined)).toBe(500);
    expect(checkBatchSize(1)).toBe(1);
    expect(checkBatchSize(10_000)).toBe(10_000);
    for (const wrong of [0, -1, 10_001, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => checkBatchSize(wrong)).toThrow(new RangeError(`The projection batch size must be a whole number from 1 to 10000, not ${String(wrong)}`));
    }
  });

  it('is checked when the runner is made, before anything runs', async () => {
    const world = openProjectionWorld();
    try {
      const db = world.readModel();
      const make = (batchSize: number) => new ProjectionRunner({ store: world.store, db, projections: ALL_PROJECTIONS, logger: silentLogger(), batchSize });
      expect(() => make(0)).toThrow(RangeError);
      expect(() => make(MAX_BATCH_SIZE + 1)).toThrow(/from 1 to 10000/);
      expect(make(MAX_BATCH_SIZE).status().map((status) => status.state)).toEqual(['stopped', 'stopped']);
    } finally {
      await world.dispose();
    }
  });
});
