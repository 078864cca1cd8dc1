import { ALL_PROJECTIONS, type Projection, ProjectionRunner, auditTrailProjection, clientListProjection } from '../../projections';
import { silentLogger } from '../../src/logger';
import { type ReadModelDatabase } from '../../src/readmodel';
import { type ProjectionWorld, by, created, openProjectionWorld, runProjections, storeUpTo } from '../testing/projectionSpecification';
import { richHistory } from './histories';

jest.setTimeout(60_000);
const WAIT_MS = 30_000;

/** What a committed listener saw: each event's id, and whether both tables held it at that moment. */
interface Told {
  id: string;
  inAuditTrail: boolean;
  inClientList: boolean;
}

const listen = (runner: ProjectionRunner, db: ReadModelDatabase) => {
  const told: Told[] = [];
  const stop = runner.onCommitted((events) => {
    for (const { recorded, event } of events) {
      const audit = db.prepare('SELECT 1 FROM audit_entries WHERE event_id = ?').get(recorded.id);
      const client = db.prepare<[string], { position: string }>('SELECT position FROM clients WHERE id = ?').get(event.data.clientId);
      const [commit] = (client?.position ?? '0').split('.');
      told.push({ id: recorded.id, inAuditTrail: audit !== undefined, inClientList: BigInt(commit) >= recorded.position.commit });
    }
  });
  return { told, stop };
};

const startRunner = (world: ProjectionWorld, db: ReadModelDatabase, projections: readonly Projection[] = ALL_PROJECTIONS, batchSize?: number) => {
  const runner = new ProjectionRunner({ store: world.store, db, projections, logger: silentLogger(), batchSize });
  runner.start();
  return runner;
};

describe('listeners of committed events', () => {
  let world: ProjectionWorld;
  beforeEach(async () => {
    world = openProjectionWorld();
    await world.append(richHistory());
  });
  afterEach(() => world.dispose());

  it.each([500, 3, 1])('hear every event once, in order, after every table holds it (batches of %i)', async (batchSize) => {
    const db = world.readModel();
    const runner = startRunner(world, db, ALL_PROJECTIONS, batchSize);
    const { told } = listen(runner, db);
    await expect(runner.waitUntilLive(WAIT_MS)).resolves.toBe(true);
    const live = await world.append([by(created('1f000000-0000-4000-8000-000000000001')), by(created('1f000000-0000-4000-8000-000000000002'))]);
    await expect(runner.waitForPosition(live.at(-1)!.position, WAIT_MS)).resolves.toBe(true);
    await runner.stop();
    expect(told.map((entry) => entry.id)).toEqual(world.places.map((place) => place.id));
    expect(told.every((entry) => entry.inAuditTrail && entry.inClientList)).toBe(true);
  });

  it('hear nothing again after a restart, and only what the slowest projection newly committed', async () => {
    const db = world.readModel();
    const middle = world.places[8].position;
    // The client list stops at the middle; the audit trail goes to the end.
    await runProjections(storeUpTo(world.store, middle), db, { projections: [clientListProjection], until: middle });
    await runProjections(world.store, db, { projections: [auditTrailProjection] });
    const runner = startRunner(world, db);
    const { told } = listen(runner, db);
    await expect(runner.waitUntilLive(WAIT_MS)).resolves.toBe(true);
    await runner.stop();
    expect(told.map((entry) => entry.id)).toEqual(world.places.slice(9).map((place) => place.id));

    const again = startRunner(world, db);
    const afterRestart = listen(again, db);
    await expect(again.waitUntilLive(WAIT_MS)).resolves.toBe(true);
    await again.stop();
    expect(afterRestart.told).toEqual([]);
  });

  it('hear nothing past an event a projection failed on, and nothing once they stop listening', async () => {
    const db = world.readModel();
    const poison = world.places[5].id;
    const failing: Projection = {
      ...clientListProjection,
      apply(events, database) {
        for (const projected of events) {
          if (projected.recorded.id === poison) throw new Error('cannot apply it');
          clientListProjection.apply([projected], database);
        }
      },
    };
    const runner = startRunner(world, db, [failing, auditTrailProjection], 1);
    const { told } = listen(runner, db);
    const quiet = listen(runner, db);
    quiet.stop();
    await expect(runner.waitForPosition(world.places.at(-1)!.position, WAIT_MS)).resolves.toBe(false);
    await runner.stop();
    expect(told.map((entry) => entry.id)).toEqual(world.places.slice(0, 5).map((place) => place.id));
    expect(quiet.told).toEqual([]);
  });

  it('keep the projections going when a listener throws', async () => {
    const db = world.readModel();
    const runner = startRunner(world, db);
    runner.onCommitted(() => {
      throw new Error('listener broke');
    });
    const { told } = listen(runner, db);
    await expect(runner.waitUntilLive(WAIT_MS)).resolves.toBe(true);
    await runner.stop();
    expect(told).toHaveLength(world.places.length);
  });
});
