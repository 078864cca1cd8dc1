import {
  ALL_PROJECTIONS,
  ProjectionRunner,
  type ProjectionStatus,
  readCheckpoint,
  reconnectDelayMs,
} from '../../projections';
import {
  type EventStore,
  type Position,
  StoreUnavailableError,
  type SubscribeToAllOptions,
  type Subscription,
  type SubscriptionMessage,
} from '../../src/eventstore';
import { silentLogger } from '../../src/logger';
import { type ProjectionWorld, openProjectionWorld, readModelTables, runProjections } from '../testing/projectionSpecification';
import { richHistory } from './histories';

jest.setTimeout(30_000);

/**
 * A store whose first `drops` subscriptions each deliver `deliverBeforeDrop` messages and then
 * fail as an unreachable server does; later subscriptions work. It records where each one started.
 */
const droppingStore = (store: EventStore, drops: number, deliverBeforeDrop: number) => {
  const starts: SubscribeToAllOptions['fromPosition'][] = [];
  const wrapped: EventStore = {
    appendToStream: (...args) => store.appendToStream(...args),
    readStream: (...args) => store.readStream(...args),
    close: () => store.close(),
    subscribeToAll(options = {}): Subscription {
      starts.push(options.fromPosition);
      const inner = store.subscribeToAll(options);
      const dropsThisOne = starts.length <= drops;
      async function* messages(): AsyncGenerator<SubscriptionMessage> {
        let delivered = 0;
        for await (const message of inner) {
          if (dropsThisOne && delivered === deliverBeforeDrop) {
            await inner.unsubscribe();
            throw new StoreUnavailableError('The event store (test) is unavailable');
          }
          delivered += 1;
          yield message;
        }
      }
      const iterator = messages();
      return { [Symbol.asyncIterator]: () => iterator, unsubscribe: () => inner.unsubscribe() };
    },
  };
  return { store: wrapped, starts };
};

const untilState = async (runner: ProjectionRunner, state: ProjectionStatus['state']): Promise<void> => {
  const deadline = Date.now() + 20_000;
  while (!runner.status().every((status) => status.state === state)) {
    if (Date.now() > deadline) throw new Error(`never ${state}: ${JSON.stringify(runner.status())}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('projections when the store becomes unavailable', () => {
  let world: ProjectionWorld;
  beforeEach(async () => {
    world = openProjectionWorld({ pageSize: 4 });
    await world.append(richHistory());
  });
  afterEach(async () => {
    await world.dispose();
  });

  it('report reconnecting, resubscribe from their checkpoint after the backoff, and end with the same tables', async () => {
    const reference = world.readModel('reference');
    await runProjections(world.store, reference);

    const db = world.readModel();
    const { store, starts } = droppingStore(world.store, 2 * ALL_PROJECTIONS.length, 5);
    const delays: number[] = [];
    const runner = new ProjectionRunner({
      store,
      db,
      projections: ALL_PROJECTIONS,
      logger: silentLogger(),
      batchSize: 2,
      retryDelayMs: (attempt) => {
        delays.push(attempt);
        return attempt === 1 ? 60_000 : 5;
      },
    });
    runner.start();
    const waiting = runner.waitForPosition(world.places.at(-1)!.position, 20_000);
    await untilState(runner, 'reconnecting');
    const reconnecting = runner.status();
    for (const status of reconnecting) {
      expect(status.reconnect).toMatchObject({ reason: 'The event store (test) is unavailable', attempts: 1 });
      expect(status.position).not.toBeNull();
      expect(Date.parse(status.reconnect!.nextAttemptAt)).toBeGreaterThan(Date.now() + 30_000);
    }
    expect(runner.isLive()).toBe(false);
    await runner.stop();
    // Stopped while waiting to reconnect: nothing more happens, the timer is gone.
    expect(runner.status().map((status) => status.state)).toEqual(['stopped', 'stopped']);
    await expect(waiting).resolves.toBe(false);

    // The next two subscriptions drop too; the second attempts succeed after a short backoff.
    const again = new ProjectionRunner({
      store,
      db,
      projections: ALL_PROJECTIONS,
      logger: silentLogger(),
      batchSize: 2,
      retryDelayMs: () => 5,
    });
    again.start();
    await expect(again.waitUntilLive(20_000)).resolves.toBe(true);
    await again.stop();
    expect(again.status().every((status) => status.reconnect === null && status.failure === null)).toBe(true);
    expect(readModelTables(db)).toEqual(readModelTables(reference));

    // Every resubscription started exactly where the projection's applied events ended before it.
    const resumed = starts.filter((start): start is Position => typeof start === 'object');
    expect(resumed.length).toBeGreaterThanOrEqual(ALL_PROJECTIONS.length);
    for (const start of resumed) {
      expect(world.places.some((place) => place.position.commit === start.commit)).toBe(true);
    }
    expect(delays).toContain(1);
    for (const projection of ALL_PROJECTIONS) {
      expect(readCheckpoint(db, projection.name).position).toEqual(world.places.at(-1)!.position);
    }
  });

  it('still stop, and never skip, on an error that is not the store being unavailable', async () => {
    const db = world.readModel();
    const broken: EventStore = {
      ...world.store,
      appendToStream: (...args) => world.store.appendToStream(...args),
      readStream: (...args) => world.store.readStream(...args),
      close: () => world.store.close(),
      subscribeToAll(): Subscription {
        async function* messages(): AsyncGenerator<SubscriptionMessage> {
          await Promise.resolve();
          yield* [];
          throw new Error('the adapter broke');
        }
        const iterator = messages();
        return { [Symbol.asyncIterator]: () => iterator, unsubscribe: () => Promise.resolve() };
      },
    };
    const runner = new ProjectionRunner({ store: broken, db, projections: ALL_PROJECTIONS, logger: silentLogger(), retryDelayMs: () => 1 });
    runner.start();
    await untilState(runner, 'failed');
    expect(runner.status()[0].failure).toMatchObject({ message: 'the adapter broke' });
    await runner.stop();
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from 250 ms to at most 10 s, each delay between half and all of its ceiling', () => {
    const ceilings = [250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000];
    ceilings.forEach((ceiling, index) => {
      expect(reconnectDelayMs(index + 1, () => 0)).toBe(ceiling / 2);
      expect(reconnectDelayMs(index + 1, () => 1)).toBe(ceiling);
    });
    expect(reconnectDelayMs(1000, () => 0.5)).toBe(7500);
  });
});
