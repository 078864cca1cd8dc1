import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type StreamFold, handleCommand, loadStream } from '../../src/application/handleCommand';
import { ConcurrencyError, type EventStore, type RecordedEvent } from '../../src/eventstore';
import { getSqliteEventStore } from '../../src/eventstore/sqlite';
import { withRival } from '../testing/withRival';

/** A counter stream: each event adds its amount; nothing here knows of clients. */
type Added = { type: 'Added'; amount: number };
const COUNTER: StreamFold<number, Added> = {
  initialState: 0,
  evolve: (total, event) => total + event.amount,
  read: (recorded: RecordedEvent) => ({ type: 'Added', amount: recorded.data.amount as number }),
};
const STREAM = 'counter-1';
const added = (amount: number): Added[] => [{ type: 'Added', amount }];

const toEventData = (events: readonly Added[]) => events.map((event) => ({ type: event.type, data: { amount: event.amount } }));

/** A store whose appends fail `times` times after letting a rival append land first. */
const withRivalAppends = (store: EventStore, times: number): EventStore =>
  withRival(store, () => store.appendToStream(STREAM, [{ type: 'Added', data: { amount: 100 } }]), times);

describe('the generic command handler', () => {
  let dir: string;
  let store: EventStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'acc-handle-'));
    store = getSqliteEventStore({ path: path.join(dir, 'events.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const options = { toEventData, maxAttempts: 5, backoff: () => Promise.resolve() };

  it('loads and folds the stream, decides on it, and appends expecting the revision it read', async () => {
    const seen: { state: number; revision: bigint | null }[] = [];
    const decideAdd = (amount: number) => (loaded: { state: number; revision: bigint | null }) => {
      seen.push({ state: loaded.state, revision: loaded.revision });
      return added(amount);
    };
    const first = await handleCommand(store, STREAM, COUNTER, decideAdd(2), options);
    const second = await handleCommand(store, STREAM, COUNTER, decideAdd(3), options);
    expect(seen).toEqual([
      { state: 0, revision: null },
      { state: 2, revision: 0n },
    ]);
    expect(first).toMatchObject({ events: [{ amount: 2 }], revision: 0n });
    expect(second).toMatchObject({ events: [{ amount: 3 }], revision: 1n });
    expect(second.position).not.toBeNull();
    await expect(loadStream(store, STREAM, COUNTER)).resolves.toMatchObject({ state: 5, revision: 1n, position: second.position });
  });

  it('hands decide the events it folded, read and oldest first, with the state they fold to', async () => {
    await handleCommand(store, STREAM, COUNTER, () => [...added(2), ...added(3)], options);
    const seen: { events: readonly Added[]; state: number }[] = [];
    await handleCommand(
      store,
      STREAM,
      COUNTER,
      ({ events, state }): Added[] => {
        seen.push({ events, state });
        return [];
      },
      options,
    );
    expect(seen).toEqual([{ events: [...added(2), ...added(3)], state: 5 }]);
  });

  it('appends nothing and answers where the stream stands when the decision is no events', async () => {
    const created = await handleCommand(store, STREAM, COUNTER, () => added(1), options);
    const nothing = await handleCommand(store, STREAM, COUNTER, (): Added[] => [], options);
    expect(nothing).toEqual({ events: [], revision: 0n, position: created.position });
    expect((await store.readStream(STREAM)).events).toHaveLength(1);
  });

  it('decides again on the new state when another writer lands first, with fresh event data each time', async () => {
    const states: number[] = [];
    let asked = 0;
    const handled = await handleCommand(
      withRivalAppends(store, 2),
      STREAM,
      COUNTER,
      ({ state }) => {
        states.push(state);
        return added(1);
      },
      {
        ...options,
        toEventData: (events) => {
          asked += 1;
          return toEventData(events);
        },
      },
    );
    expect(states).toEqual([0, 100, 200]);
    expect(asked).toBe(3);
    expect(handled.revision).toBe(2n);
    expect((await loadStream(store, STREAM, COUNTER)).state).toBe(201);
  });

  it('lets the ConcurrencyError through after maxAttempts, having appended nothing of its own', async () => {
    const waits: number[] = [];
    const attempt = handleCommand(withRivalAppends(store, 10), STREAM, COUNTER, () => added(1), {
      ...options,
      maxAttempts: 3,
      backoff: (n) => {
        waits.push(n);
        return Promise.resolve();
      },
    });
    await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
    expect(waits).toEqual([1, 2]);
    expect((await store.readStream(STREAM)).events.map((event) => event.data.amount)).toEqual([100, 100, 100]);
  });

  it('ends with what decide throws, appending nothing', async () => {
    const refusal = new Error('no');
    await expect(handleCommand(store, STREAM, COUNTER, (): Added[] => {
          throw refusal;
        }, options)).rejects.toBe(refusal);
    expect((await store.readStream(STREAM)).streamExists).toBe(false);
  });
});
