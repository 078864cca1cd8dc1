import { StoreUnavailableError } from '../../src/eventstore';
import { type EventRow } from '../../src/eventstore/sqlite/eventRows';
import { type SubscriptionSource, startSqliteSubscription } from '../../src/eventstore/sqlite/sqliteSubscription';

const row = (position: number, streamId = 'stream'): EventRow => ({
  position: BigInt(position),
  event_id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
  stream_id: streamId,
  revision: BigInt(position - 1),
  type: 'Happened',
  data: JSON.stringify({ position }),
  metadata: '{}',
  created: 0n,
});

/** An in-memory stand-in for the events table that counts reads and holds append listeners. */
const fakeSource = (pageSize: number, pollIntervalMs = 1000) => {
  const rows: EventRow[] = [];
  const listeners = new Set<() => void>();
  let ended = 0;
  const reads: bigint[] = [];
  let failure: Error | undefined;
  const source: SubscriptionSource = {
    readPage: (after, limit) => {
      if (failure) throw failure;
      reads.push(after);
      return rows.filter((r) => r.position > after).slice(0, limit);
    },
    onNextAppend: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ended: () => {
      ended += 1;
    },
    pageSize,
    pollIntervalMs,
  };
  return {
    source,
    reads,
    listeners,
    ended: () => ended,
    add: (...added: EventRow[]) => rows.push(...added),
    notify: () => [...listeners].forEach((listener) => listener()),
    fail: (error: Error) => {
      failure = error;
    },
  };
};

const positionOf = (result: IteratorResult<unknown>) =>
  (result.value as { type: string; event?: { position: { commit: bigint } }; position?: { commit: bigint } | null })
    .event?.position.commit ?? (result.value as { type: string }).type;

describe('sqlite subscription', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('reads the next page only when the consumer has taken the buffered one', async () => {
    const fake = fakeSource(5);
    fake.add(...Array.from({ length: 12 }, (_, i) => row(i + 1)));
    const iterator = startSqliteSubscription(0n, () => true, fake.source)[Symbol.asyncIterator]();

    expect(positionOf(await iterator.next())).toBe(1n);
    expect(fake.reads).toEqual([0n]);
    for (let i = 2; i <= 5; i++) await iterator.next();
    expect(fake.reads).toEqual([0n]);
    expect(positionOf(await iterator.next())).toBe(6n);
    expect(fake.reads).toEqual([0n, 5n]);
  });

  it('says caughtUp after the first short page, once, and then waits for appends', async () => {
    jest.useFakeTimers();
    const fake = fakeSource(5);
    fake.add(row(1), row(2), row(3), row(4), row(5), row(6));
    const iterator = startSqliteSubscription(0n, () => true, fake.source)[Symbol.asyncIterator]();
    const seen: unknown[] = [];
    for (let i = 0; i < 7; i++) seen.push(positionOf(await iterator.next()));
    expect(seen).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 'caughtUp']);

    const pending = iterator.next();
    await Promise.resolve();
    expect(fake.listeners.size).toBe(1);
    fake.add(row(7));
    fake.notify();
    expect(positionOf(await pending)).toBe(7n);
  });

  it('polls for appends it was not told about', async () => {
    jest.useFakeTimers();
    const fake = fakeSource(5, 250);
    const iterator = startSqliteSubscription(0n, () => true, fake.source)[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: { type: 'caughtUp', position: null } });

    let settled = false;
    const pending = iterator.next().then((result) => {
      settled = true;
      return result;
    });
    await jest.advanceTimersByTimeAsync(0);
    expect(fake.listeners.size).toBe(1);
    fake.add(row(1));
    await jest.advanceTimersByTimeAsync(200);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(100);
    expect(positionOf(await pending)).toBe(1n);
  });

  it('unsubscribing resolves a waiting next() as done and leaves no timer or listener behind', async () => {
    jest.useFakeTimers();
    const fake = fakeSource(5);
    const subscription = startSqliteSubscription(0n, () => true, fake.source);
    const iterator = subscription[Symbol.asyncIterator]();
    await iterator.next();
    const pending = iterator.next();
    await Promise.resolve();
    expect(jest.getTimerCount()).toBe(1);

    await subscription.unsubscribe();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    expect(jest.getTimerCount()).toBe(0);
    expect(fake.listeners.size).toBe(0);
    expect(fake.ended()).toBe(1);
    await subscription.unsubscribe();
    expect(fake.ended()).toBe(1);
  });

  it('filters by stream, with a checkpoint for a page that is all filtered out', async () => {
    const fake = fakeSource(2);
    fake.add(row(1, 'other'), row(2, 'other'), row(3, 'mine'), row(4, 'other'), row(5, 'other'), row(6, 'other'));
    const iterator = startSqliteSubscription(0n, (s) => s === 'mine', fake.source)[Symbol.asyncIterator]();
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await iterator.next()).value);
    expect(seen).toEqual([
      { type: 'checkpoint', position: { commit: 2n, prepare: 2n } },
      expect.objectContaining({ type: 'event', event: expect.objectContaining({ streamId: 'mine' }) }),
      { type: 'checkpoint', position: { commit: 6n, prepare: 6n } },
      { type: 'caughtUp', position: { commit: 6n, prepare: 6n } },
    ]);
  });

  it('answers concurrent next() calls in order without delivering anything twice', async () => {
    const fake = fakeSource(3);
    fake.add(...Array.from({ length: 7 }, (_, i) => row(i + 1)));
    const iterator = startSqliteSubscription(0n, () => true, fake.source)[Symbol.asyncIterator]();
    const results = await Promise.all(Array.from({ length: 8 }, () => iterator.next()));
    expect(results.map(positionOf)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 'caughtUp']);
  });

  it('ends with StoreUnavailableError when the store cannot be read', async () => {
    const fake = fakeSource(5);
    fake.fail(new Error('disk I/O error'));
    const iterator = startSqliteSubscription(0n, () => true, fake.source)[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });
});
