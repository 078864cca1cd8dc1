import {
  ALL_PROJECTIONS,
  type Projection,
  ProjectionRunner,
  type ProjectionStatus,
  auditTrailProjection,
  clientListProjection,
  readCheckpoint,
} from '../../projections';
import { type ClientEvent, clientStreamId } from '../../src/domain/client';
import { type Position, positionToToken } from '../../src/eventstore';
import { silentLogger } from '../../src/logger';
import { type ReadModelDatabase } from '../../src/readmodel';
import {
  type ProjectionWorld,
  type RecordedPlace,
  rawMetadataFor,
  openProjectionWorld,
  readModelTables,
  runProjections,
  storeUpTo,
} from '../testing/projectionSpecification';
import { CLIENT_IDS, richHistory } from './histories';

/** A projection that throws while applying the event with the given id, after applying the events before it. */
const failingOn = (projection: Projection, poisonId: () => string | null): Projection => ({
  ...projection,
  apply(events, db) {
    for (const projected of events) {
      if (projected.recorded.id === poisonId()) throw new Error(`cannot apply ${projected.recorded.type}`);
      projection.apply([projected], db);
    }
  },
});

const startRunner = (world: ProjectionWorld, db: ReadModelDatabase, projections: readonly Projection[], batchSize?: number) => {
  const runner = new ProjectionRunner({ store: world.store, db, projections, logger: silentLogger(), batchSize });
  runner.start();
  return runner;
};

/** Polls until a projection reports a state, or fails the test after a while. */
const untilState = async (runner: ProjectionRunner, name: string, state: ProjectionStatus['state']): Promise<ProjectionStatus> => {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const status = runner.status().find((s) => s.name === name)!;
    if (status.state === state) return status;
    if (Date.now() > deadline) throw new Error(`${name} never became ${state}: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const token = (position: Position): string => positionToToken(position);

/** Generous bounds, so a loaded machine does not fail the tests; "promptly" is far below the wait. */
const WAIT_MS = 30_000;
const PROMPT_MS = 5_000;
jest.setTimeout(60_000);

describe('a projection that fails', () => {
  let world: ProjectionWorld;
  let reference: ReturnType<typeof readModelTables>;
  beforeEach(async () => {
    world = openProjectionWorld();
    await world.append(richHistory());
    const full = world.readModel('reference');
    await runProjections(world.store, full);
    reference = readModelTables(full);
  });
  afterEach(async () => {
    await world.dispose();
  });

  describe.each([
    ['one transaction for the whole history', 500],
    ['small batches', 3],
  ])('inside apply, mid-batch (%s)', (_label, batchSize) => {
    it('rolls back rows and checkpoint, reports the event, refuses to skip it, and resumes after a restart', async () => {
      const db = world.readModel();
      const goodPart = world.places[5];
      await runProjections(storeUpTo(world.store, goodPart.position), db, { until: goodPart.position });
      const before = readModelTables(db);

      const poison: RecordedPlace = world.places[13];
      let poisonId: string | null = poison.id;
      const runner = startRunner(world, db, [failingOn(clientListProjection, () => poisonId), auditTrailProjection], batchSize);
      const waited = Date.now();
      const reached = await runner.waitForPosition(world.places.at(-1)!.position, WAIT_MS);
      expect(reached).toBe(false);
      expect(Date.now() - waited).toBeLessThan(PROMPT_MS);

      const status = runner.status().find((s) => s.name === 'clientList')!;
      expect(status).toMatchObject({
        state: 'failed',
        failure: { eventId: poison.id, eventType: poison.type, position: token(poison.position), message: `cannot apply ${poison.type}` },
      });
      expect(runner.isLive()).toBe(false);
      await expect(runner.waitForPosition(goodPart.position, WAIT_MS)).resolves.toBe(false);
      await untilState(runner, 'auditTrail', 'live');
      await runner.stop();
      expect(runner.status().find((s) => s.name === 'clientList')!.state).toBe('failed');

      // Nothing of the failed batch is in the tables; the checkpoint sits at the end of the last good batch.
      const checkpoint = readCheckpoint(db, 'clientList').position!;
      expect(checkpoint.commit).toBeLessThan(poison.position.commit);
      const lastGood = world.places.filter((place) => place.position.commit <= checkpoint.commit).at(-1)!;
      if (batchSize >= world.places.length) expect(lastGood).toBe(goodPart);
      const clientRows = readModelTables(db).clients;
      expect(Math.max(...clientRows.map((row) => Number(String(row.position).split('.')[0])))).toBeLessThanOrEqual(Number(checkpoint.commit));
      if (batchSize >= world.places.length) expect(clientRows).toEqual(before.clients);
      // The other projection is independent and went on to the end.
      expect(readModelTables(db).audit_entries).toEqual(reference.audit_entries);

      // A restart with the cause still there fails on the same event again: it is never skipped.
      const again = startRunner(world, db, [failingOn(clientListProjection, () => poisonId), auditTrailProjection], batchSize);
      const failedAgain = await untilState(again, 'clientList', 'failed');
      expect(failedAgain.failure).toMatchObject({ eventId: poison.id, position: token(poison.position) });
      await again.stop();

      poisonId = null;
      await runProjections(world.store, db, { batchSize });
      expect(readModelTables(db)).toEqual(reference);
    });
  });

  it('answers a waiter that was already waiting with false as soon as it fails', async () => {
    const db = world.readModel();
    await runProjections(storeUpTo(world.store, world.places[1].position), db, { until: world.places[1].position });
    const runner = new ProjectionRunner({
      store: world.store,
      db,
      projections: [failingOn(clientListProjection, () => world.places[2].id), auditTrailProjection],
      logger: silentLogger(),
    });
    // Before start nothing runs, so a waiter is answered at once.
    await expect(runner.waitForPosition(world.places.at(-1)!.position, WAIT_MS)).resolves.toBe(false);
    runner.start();
    const started = Date.now();
    const waiting = runner.waitForPosition(world.places.at(-1)!.position, WAIT_MS);
    // The events are applied later (the subscription is asynchronous): the waiter is pending when it fails.
    expect(runner.status().map((s) => s.state)).toEqual(['catchingUp', 'catchingUp']);
    await expect(waiting).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
    expect(runner.status()[0].state).toBe('failed');
    await runner.stop();
  });

  it('stops on an unknown event type in a client stream and reports it, never skipping it', async () => {
    const db = world.readModel();
    await runProjections(world.store, db);
    const [unknown] = await world.append([
      {
        streamId: clientStreamId(CLIENT_IDS[0]),
        raw: { type: 'ClientArchived', data: { clientId: CLIENT_IDS[0] }, metadata: rawMetadataFor(99) },
      },
    ]);
    const after = await world.append([{ event: { type: 'ClientRenamed', data: { clientId: CLIENT_IDS[1], name: 'After the unknown' } } }]);

    for (let attempt = 0; attempt < 2; attempt += 1) {
      const runner = startRunner(world, db, ALL_PROJECTIONS);
      await expect(runner.waitForPosition(after[0].position, WAIT_MS)).resolves.toBe(false);
      for (const name of ['clientList', 'auditTrail']) {
        const status = await untilState(runner, name, 'failed');
        expect(status.failure).toMatchObject({ eventId: unknown.id, eventType: 'ClientArchived', position: token(unknown.position) });
        expect(status.failure!.message).toMatch(/ClientArchived/);
        expect(readCheckpoint(db, name).position).toEqual(world.places[world.places.length - 3].position);
      }
      await runner.stop();
    }
    const tables = readModelTables(db);
    expect(tables.audit_entries).toEqual(reference.audit_entries);
    expect(tables.clients).toEqual(reference.clients);
  });

  it('stops on an event of a newer schema version and reports it', async () => {
    const db = world.readModel();
    await runProjections(world.store, db);
    const [newer] = await world.append([
      {
        streamId: clientStreamId(CLIENT_IDS[0]),
        raw: {
          type: 'ClientRenamed',
          data: { clientId: CLIENT_IDS[0], name: 'From the future' },
          metadata: rawMetadataFor(99, { schemaVersion: 2 }),
        },
      },
    ]);
    const runner = startRunner(world, db, ALL_PROJECTIONS);
    for (const name of ['clientList', 'auditTrail']) {
      const status = await untilState(runner, name, 'failed');
      expect(status.failure).toMatchObject({ eventId: newer.id, eventType: 'ClientRenamed', position: token(newer.position) });
      expect(status.failure!.message).toMatch(/schema version 2/);
    }
    await runner.stop();
    expect(readModelTables(db).clients).toEqual(reference.clients);
    expect(readCheckpoint(db, 'clientList').position).toEqual(world.places[world.places.length - 2].position);
  });

  it('reaches the position of events of other streams that come last, so a wait for them ends', async () => {
    const db = world.readModel();
    const [foreign] = await world.append([{ streamId: 'someOtherAggregate-1', raw: { type: 'SomethingElse', data: { x: 1 } } }]);
    const status = await runProjections(world.store, db, { until: foreign.position });
    expect(status.every((s) => s.failure === null)).toBe(true);
    for (const projection of ALL_PROJECTIONS) expect(readCheckpoint(db, projection.name).position).toEqual(foreign.position);
    expect(readModelTables(db).clients).toEqual(reference.clients);
  });
});

describe('a failed batch followed by a page of other streams', () => {
  it.each([
    ['an event apply throws on', 'apply'],
    ['an unknown event type', 'unknown'],
  ])('is not stepped over by the checkpoint after it (%s)', async (_label, cause) => {
    // Pages of 4: the client events and the first foreign one, then pages with only foreign
    // events, which the store answers with a checkpoint right after the failing batch.
    const world = openProjectionWorld({ pageSize: 4 });
    try {
      const [clientId] = CLIENT_IDS;
      await world.append([
        { event: { type: 'ClientCreated', data: richHistory()[0].event.data } as ClientEvent },
        { event: { type: 'ClientRenamed', data: { clientId, name: 'Second' } } },
      ]);
      const [bad] = await world.append([
        cause === 'apply'
          ? { event: { type: 'ClientRenamed', data: { clientId, name: 'Poison' } } }
          : { streamId: clientStreamId(clientId), raw: { type: 'ClientArchived', data: { clientId }, metadata: rawMetadataFor(2) } },
      ]);
      await world.append(Array.from({ length: 9 }, (_, n) => ({ streamId: `someOtherAggregate-${n}`, raw: { type: 'SomethingElse', data: { n } } })));
      const db = world.readModel();
      const runner = startRunner(world, db, [failingOn(clientListProjection, () => bad.id)]);
      await expect(runner.waitForPosition(world.places.at(-1)!.position, WAIT_MS)).resolves.toBe(false);
      const status = await untilState(runner, 'clientList', 'failed');
      await runner.stop();
      expect(readCheckpoint(db, 'clientList').position).toBeNull();
      expect(status.position).toBeNull();
      expect(readModelTables(db).clients).toEqual([]);
      expect(status.failure).toMatchObject({ eventId: bad.id, position: token(bad.position) });

      // Restarted without the cause, it applies everything, the events before the bad one included.
      if (cause === 'apply') {
        await runProjections(world.store, db, { projections: [clientListProjection] });
        expect(readModelTables(db).clients).toMatchObject([{ name: 'Poison', version: 3 }]);
      }
    } finally {
      await world.dispose();
    }
  });
});

describe('two runners on one read model', () => {
  let world: ProjectionWorld;
  beforeEach(() => {
    world = openProjectionWorld();
  });
  afterEach(async () => {
    await world.dispose();
  });

  it.each([
    ['sharing one database handle', false],
    ['each with its own handle on the file', true],
  ])('make one of them fail loudly on the checkpoint instead of applying twice (%s)', async (_label, ownHandles) => {
    await world.append(richHistory().slice(0, 8));
    const first = world.readModel('shared');
    const second = ownHandles ? world.readModel('shared') : first;
    const runners = [startRunner(world, first, ALL_PROJECTIONS, 2), startRunner(world, second, ALL_PROJECTIONS, 2)];
    await world.append(richHistory().slice(8));
    const last = world.places.at(-1)!.position;
    await Promise.all(runners.map((runner) => runner.waitForPosition(last, 1000)));

    for (const name of ['clientList', 'auditTrail']) {
      const states = runners.map((runner) => runner.status().find((s) => s.name === name)!);
      const failed = states.filter((s) => s.state === 'failed');
      expect(failed).toHaveLength(1);
      expect(failed[0].failure!.message).toMatch(new RegExp(`Checkpoint of projection ${name} was moved by another writer`));
      expect(states.find((s) => s.state !== 'failed')!.position).toBe(token(last));
    }
    await Promise.all(runners.map((runner) => runner.stop()));

    const fresh = world.readModel('fresh');
    await runProjections(world.store, fresh);
    expect(readModelTables(first)).toEqual(readModelTables(fresh));
  });
});
