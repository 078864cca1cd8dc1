import fc from 'fast-check';
import { ALL_PROJECTIONS, type ProjectedEvent, readCheckpoint } from '../../projections';
import { CLIENT_STREAM_PREFIX, readClientEvent } from '../../src/domain/client';
import { type RecordedEvent } from '../../src/eventstore';
import {
  type GivenEvent,
  type ProjectionWorld,
  given,
  moveCheckpoints,
  openProjectionWorld,
  readModelTables,
  runProjections,
  storeUpTo,
} from '../testing/projectionSpecification';
import { CLIENT_IDS, arbitraryHistory, richHistory } from './histories';

// Real files and many runs: allow for a loaded machine.
jest.setTimeout(60_000);

/** Every recorded event, in global order, as projections receive them. */
const recordedEvents = async (world: ProjectionWorld): Promise<RecordedEvent[]> => {
  const streams = [...new Set(world.places.map((place) => place.streamId))];
  const all = (await Promise.all(streams.map((stream) => world.store.readStream(stream)))).flatMap((read) => read.events);
  return all.sort((a, b) => (a.position.commit < b.position.commit ? -1 : 1));
};

describe('replaying events into the projections', () => {
  let world: ProjectionWorld;
  beforeEach(() => {
    world = openProjectionWorld();
  });
  afterEach(async () => {
    await world.dispose();
  });

  it('leaves identical tables when every event is applied a second time', async () => {
    const tables = await given(richHistory()).whenReplayedTwice().then({});
    expect(tables.clients).toHaveLength(4);
    expect(tables.audit_entries).toHaveLength(richHistory().length);
  });

  it('leaves identical tables when replayed from every earlier checkpoint', async () => {
    const places = await world.append(richHistory());
    const db = world.readModel();
    await runProjections(world.store, db);
    const reference = readModelTables(db);
    for (const from of [null, ...places.slice(0, -1).map((place) => place.position)]) {
      moveCheckpoints(db, from);
      await runProjections(world.store, db, { batchSize: 3 });
      expect(readModelTables(db)).toEqual(reference);
    }
  });

  it('changes nothing when a projection is handed a batch it already applied', async () => {
    await world.append(richHistory());
    const db = world.readModel();
    await runProjections(world.store, db);
    const reference = readModelTables(db);
    const batch: ProjectedEvent[] = (await recordedEvents(world)).map((recorded) => ({ ...readClientEvent(recorded), recorded }));
    for (const projection of ALL_PROJECTIONS) {
      db.transaction(() => projection.apply(batch, db))();
      db.transaction(() => projection.apply(batch.slice(5, 9), db))();
    }
    expect(readModelTables(db)).toEqual(reference);
  });

  it('gives the tables of one uninterrupted run when stopped after any event and restarted', async () => {
    const places = await world.append(richHistory());
    const uninterrupted = world.readModel('uninterrupted');
    await runProjections(world.store, uninterrupted);
    const reference = readModelTables(uninterrupted);

    for (const [index, stop] of places.entries()) {
      const db = world.readModel(`stopped-after-${index + 1}`);
      await runProjections(storeUpTo(world.store, stop.position), db, { until: stop.position, batchSize: 1 + (index % 4) });
      for (const projection of ALL_PROJECTIONS) {
        expect(readCheckpoint(db, projection.name).position).toEqual(stop.position);
      }
      expect(readModelTables(db).audit_entries).toHaveLength(index + 1);
      await runProjections(world.store, db, { batchSize: 1 + ((index + 1) % 3) });
      expect(readModelTables(db)).toEqual(reference);
      db.close();
    }
  });

  it('keeps numbering audit entries without gaps when new events follow a replay', async () => {
    await world.append(richHistory());
    const db = world.readModel();
    await runProjections(world.store, db);
    moveCheckpoints(db, null);
    await runProjections(world.store, db);
    await world.append([
      { event: { type: 'ClientRenamed', data: { clientId: CLIENT_IDS[0], name: 'After the replay' } } },
    ]);
    await runProjections(world.store, db);

    const fresh = world.readModel('fresh');
    await runProjections(world.store, fresh);
    expect(readModelTables(db)).toEqual(readModelTables(fresh));
    const seqs = readModelTables(db).audit_entries.map((row) => row.seq);
    expect(seqs).toEqual(Array.from({ length: richHistory().length + 1 }, (_, index) => index + 1));
  });

  it('for random histories among other streams, any page size, batch size and stops equal one run (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryHistory(20),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        async (history, foreignSeeds, pageSize, batchSize, cutSeeds) => {
          const mixed: GivenEvent[] = [...history];
          for (const [n, seed] of foreignSeeds.entries()) {
            mixed.splice(seed % (mixed.length + 1), 0, { streamId: `someOtherAggregate-${n}`, raw: { type: 'SomethingElse', data: { n } } });
          }
          const local = openProjectionWorld({ pageSize });
          try {
            const places = await local.append(mixed);
            const uninterrupted = local.readModel('uninterrupted');
            await runProjections(local.store, uninterrupted);
            const reference = readModelTables(uninterrupted);

            const db = local.readModel('cut');
            const clientPlaces = places.filter((place) => place.streamId.startsWith(CLIENT_STREAM_PREFIX));
            const cuts = clientPlaces.length === 0 ? [] : [...new Set(cutSeeds.map((seed) => seed % clientPlaces.length))].sort((a, b) => a - b);
            for (const cut of cuts) {
              const stop = clientPlaces[cut].position;
              await runProjections(storeUpTo(local.store, stop), db, { until: stop, batchSize });
            }
            await runProjections(local.store, db, { batchSize });
            expect(readModelTables(db)).toEqual(reference);
            for (const projection of ALL_PROJECTIONS) {
              expect(readCheckpoint(db, projection.name).position).toEqual(places.at(-1)?.position ?? null);
            }
          } finally {
            await local.dispose();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('for random histories, stopping and restarting at random points equals one run (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        arbitraryHistory(30),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.integer({ min: 1, max: 7 }),
        async (history, cutSeeds, batchSize) => {
          run += 1;
          const local = openProjectionWorld();
          try {
            const places = await local.append(history);
            const uninterrupted = local.readModel('uninterrupted');
            await runProjections(local.store, uninterrupted);
            const reference = readModelTables(uninterrupted);

            const db = local.readModel(`cut-${run}`);
            const cuts = places.length === 0 ? [] : [...new Set(cutSeeds.map((seed) => seed % places.length))].sort((a, b) => a - b);
            for (const cut of cuts) {
              const stop = places[cut].position;
              await runProjections(storeUpTo(local.store, stop), db, { until: stop, batchSize });
            }
            await runProjections(local.store, db, { batchSize });
            expect(readModelTables(db)).toEqual(reference);
            moveCheckpoints(db, null);
            await runProjections(local.store, db, { batchSize });
            expect(readModelTables(db)).toEqual(reference);
          } finally {
            await local.dispose();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
