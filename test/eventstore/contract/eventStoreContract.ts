import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ConflictError } from '../../../src/errors';
import {
  ConcurrencyError,
  type AppendResult,
  type EventData,
  type EventStore,
  type ExpectedRevision,
  type JsonObject,
  type RecordedEvent,
} from '../../../src/eventstore';
import { probe } from './subscriptionProbe';

/** What an adapter's spec hands the contract: a store to test and the way to dispose of it. */
export interface EventStoreUnderTest {
  store: EventStore;
  teardown(): Promise<void>;
}

/** Names unique to one test, so the suite also runs against a shared server that holds other data. */
const newScope = () => {
  const prefix = `contract${randomUUID().replaceAll('-', '')}`;
  return { prefix, stream: (name: string) => `${prefix}-${name}` };
};

const event = (type: string, data: JsonObject = {}, id?: string): EventData => ({ type, data, ...(id ? { id } : {}) });

const events = (count: number, tag = 'e'): EventData[] =>
  Array.from({ length: count }, (_, index) => event('Happened', { tag, index }));

const expectConcurrencyError = async (
  append: Promise<AppendResult>,
  streamId: string,
  expected: ExpectedRevision,
  actual: bigint | 'no_stream',
): Promise<void> => {
  const error: unknown = await append.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConcurrencyError);
  expect(error).toMatchObject({ streamId, expected, actual, code: 'CONFLICT' });
};

const ids = (recorded: RecordedEvent[]) => recorded.map((e) => e.id);

/**
 * The behaviour every `EventStore` adapter must show (EventStoreDB semantics). The adapter's spec
 * calls this with a factory; each test gets a fresh store and tears it down afterwards. Tests use
 * stream names unique to themselves and never assume the store starts empty.
 */
export const describeEventStoreContract = (name: string, factory: () => Promise<EventStoreUnderTest>): void => {
  describe(`${name} event store contract`, () => {
    let store: EventStore;
    let teardown: () => Promise<void>;
    let scope: ReturnType<typeof newScope>;

    beforeEach(async () => {
      const underTest = await factory();
      store = underTest.store;
      teardown = () => underTest.teardown();
      scope = newScope();
    });

    afterEach(async () => {
      await teardown();
    });

    const readAll = async (streamId: string) => {
      const result = await store.readStream(streamId);
      return result.events;
    };

    const scoped = () => ({ filter: { streamNamePrefixes: [scope.prefix] } });

    describe('appendToStream', () => {
      it("with 'no_stream' creates the stream and answers the last revision and its position", async () => {
        const stream = scope.stream('a');
        const result = await store.appendToStream(stream, events(3), { expectedRevision: 'no_stream' });
        const recorded = await readAll(stream);

        expect(recorded.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        expect(result.nextExpectedRevision).toBe(2n);
        expect(result.position).toEqual(recorded[2].position);
      });

      it("with 'no_stream' on an existing stream raises ConcurrencyError with the actual revision and writes nothing", async () => {
        const stream = scope.stream('a');
        await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });

        await expectConcurrencyError(
          store.appendToStream(stream, events(1, 'late'), { expectedRevision: 'no_stream' }),
          stream,
          'no_stream',
          1n,
        );
        expect(await readAll(stream)).toHaveLength(2);
      });

      it("with 'stream_exists' fails on a missing stream (actual 'no_stream') and appends to an existing one", async () => {
        const stream = scope.stream('a');
        await expectConcurrencyError(
          store.appendToStream(stream, events(1), { expectedRevision: 'stream_exists' }),
          stream,
          'stream_exists',
          'no_stream',
        );
        expect(await store.readStream(stream)).toEqual({ streamExists: false, events: [] });

        await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
        const result = await store.appendToStream(stream, events(2), { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(2n);
        expect(await readAll(stream)).toHaveLength(3);
      });

      it('with an exact revision appends only when it is the last revision, else tells the actual one', async () => {
        const stream = scope.stream('a');
        await expectConcurrencyError(
          store.appendToStream(stream, events(1), { expectedRevision: 0n }),
          stream,
          0n,
          'no_stream',
        );
        await store.appendToStream(stream, events(3), { expectedRevision: 'no_stream' });

        await expectConcurrencyError(store.appendToStream(stream, events(1), { expectedRevision: 1n }), stream, 1n, 2n);
        await expectConcurrencyError(store.appendToStream(stream, events(1), { expectedRevision: 3n }), stream, 3n, 2n);
        expect(await readAll(stream)).toHaveLength(3);

        const result = await store.appendToStream(stream, events(2, 'next'), { expectedRevision: 2n });
        expect(result.nextExpectedRevision).toBe(4n);
        const again = await store.appendToStream(stream, events(1, 'last'), {
          expectedRevision: result.nextExpectedRevision,
        });
        expect(again.nextExpectedRevision).toBe(5n);
        expect((await readAll(stream)).map((e) => e.data.tag)).toEqual(['e', 'e', 'e', 'next', 'next', 'last']);
      });

      it("with 'any', the default, appends to a missing and to an existing stream", async () => {
        const stream = scope.stream('a');
        expect((await store.appendToStream(stream, events(1), { expectedRevision: 'any' })).nextExpectedRevision).toBe(
          0n,
        );
        expect((await store.appendToStream(stream, events(2))).nextExpectedRevision).toBe(2n);
        expect((await store.appendToStream(stream, events(1), {})).nextExpectedRevision).toBe(3n);
        expect(await readAll(stream)).toHaveLength(4);
      });

      it('gives the events of one append consecutive revisions and increasing positions', async () => {
        const stream = scope.stream('a');
        await store.appendToStream(scope.stream('other'), events(1));
        await store.appendToStream(stream, events(2, 'first'));
        await store.appendToStream(scope.stream('other'), events(1));
        const result = await store.appendToStream(stream, events(4, 'second'));

        const second = (await readAll(stream)).filter((e) => e.data.tag === 'second');
        expect(second.map((e) => e.revision)).toEqual([2n, 3n, 4n, 5n]);
        expect(second.map((e) => e.data.index)).toEqual([0, 1, 2, 3]);
        for (let i = 1; i < second.length; i++) {
          expect(second[i].position.commit).toBeGreaterThan(second[i - 1].position.commit);
        }
        expect(result.position).toEqual(second[3].position);
      });

      it('lets exactly one of two racing appends with the same expectation win, and keeps none of the loser', async () => {
        const stream = scope.stream('a');
        await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });

        const outcomes = await Promise.allSettled([
          store.appendToStream(stream, events(3, 'left'), { expectedRevision: 0n }),
          store.appendToStream(stream, events(3, 'right'), { expectedRevision: 0n }),
        ]);

        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0].reason).toBeInstanceOf(ConcurrencyError);
        const tags = (await readAll(stream)).slice(1).map((e) => e.data.tag);
        expect(tags).toHaveLength(3);
        expect(new Set(tags).size).toBe(1);
      });

      it('with no events checks the expectation, writes nothing and answers the current revision', async () => {
        const stream = scope.stream('a');
        const none = await store.appendToStream(stream, [], { expectedRevision: 'no_stream' });
        expect(none.nextExpectedRevision).toBe(-1n);
        expect(await store.readStream(stream)).toEqual({ streamExists: false, events: [] });
        await expectConcurrencyError(
          store.appendToStream(stream, [], { expectedRevision: 0n }),
          stream,
          0n,
          'no_stream',
        );

        await store.appendToStream(stream, events(2));
        expect((await store.appendToStream(stream, [], { expectedRevision: 1n })).nextExpectedRevision).toBe(1n);
        expect(
          (await store.appendToStream(stream, [], { expectedRevision: 'stream_exists' })).nextExpectedRevision,
        ).toBe(1n);
        await expectConcurrencyError(
          store.appendToStream(stream, [], { expectedRevision: 'no_stream' }),
          stream,
          'no_stream',
          1n,
        );
        expect(await readAll(stream)).toHaveLength(2);
      });

      it('keeps supplied event ids and gives the others fresh UUIDs', async () => {
        const stream = scope.stream('a');
        const supplied = randomUUID();
        await store.appendToStream(stream, [event('A', {}, supplied), event('B'), event('C')]);

        const recorded = await readAll(stream);
        expect(recorded[0].id).toBe(supplied);
        for (const e of recorded)
          expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(new Set(ids(recorded)).size).toBe(3);
      });

      it('answers a retried append (same ids, same expectation) with the original result and writes nothing', async () => {
        const stream = scope.stream('a');
        const batch = [event('A', { n: 1 }, randomUUID()), event('B', { n: 2 }, randomUUID())];
        const created = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        expect(await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' })).toEqual(created);

        const next = [event('C', { n: 3 }, randomUUID())];
        const appended = await store.appendToStream(stream, next, { expectedRevision: 1n });
        await store.appendToStream(stream, events(1, 'after'), { expectedRevision: 2n });
        expect(await store.appendToStream(stream, next, { expectedRevision: 1n })).toEqual(appended);

        const anyBatch = [event('D', {}, randomUUID()), event('E', {}, randomUUID())];
        const anyResult = await store.appendToStream(stream, anyBatch, { expectedRevision: 'any' });
        expect(await store.appendToStream(stream, anyBatch, { expectedRevision: 'any' })).toEqual(anyResult);

        expect((await readAll(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C', 'Happened', 'D', 'E']);
      });

      it('refuses a retry whose ids differ from the original append and writes nothing', async () => {
        const stream = scope.stream('a');
        const first = randomUUID();
        const stranger = randomUUID();
        await store.appendToStream(stream, [event('A', {}, first), event('B', {}, randomUUID())], {
          expectedRevision: 'no_stream',
        });

        await expect(
          store.appendToStream(stream, [event('A', {}, first), event('X', {}, stranger)], {
            expectedRevision: 'no_stream',
          }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect((await readAll(stream)).map((e) => e.type)).toEqual(['A', 'B']);
      });

      it('gives strictly increasing global positions across streams, in append order', async () => {
        const results: AppendResult[] = [];
        for (const name of ['a', 'b', 'a', 'c', 'b', 'a']) {
          results.push(await store.appendToStream(scope.stream(name), events(1, name)));
        }
        for (let i = 1; i < results.length; i++) {
          expect(results[i].position.commit).toBeGreaterThan(results[i - 1].position.commit);
        }
        const a = await readAll(scope.stream('a'));
        expect(a.map((e) => e.position)).toEqual([results[0].position, results[2].position, results[5].position]);
      });

      it('round-trips data and metadata as JSON and stamps `created` as a Date', async () => {
        const stream = scope.stream('json');
        const data: JsonObject = {
          text: 'héllo wörld ✓ 日本語 🎉 \u0000 "quoted" \\ \n\t',
          '🔑 key with spaces': 'value',
          nested: { list: [1, 'two', { three: [null, true, false] }], deeper: { a: { b: { c: 'end' } } } },
          bigAsString: '123456789012345678901234567890',
          maxSafe: Number.MAX_SAFE_INTEGER,
          negativeFraction: -42.125,
          zero: 0,
          emptyObject: {},
          emptyList: [],
          nothing: null,
          large: 'x'.repeat(200_000),
        };
        const metadata: JsonObject = { correlationId: randomUUID(), actor: { id: 'u-1', name: 'Zoë Ærø' } };
        const before = Date.now();
        await store.appendToStream(stream, [
          { type: 'Typed', data, metadata },
          { type: 'Bare', data: {} },
        ]);
        const after = Date.now();

        const [typed, bare] = await readAll(stream);
        expect(typed.data).toEqual(data);
        expect(typed.metadata).toEqual(metadata);
        expect(typed.type).toBe('Typed');
        expect(typed.streamId).toBe(stream);
        expect(bare.data).toEqual({});
        expect(bare.metadata).toEqual({});
        expect(typed.created).toBeInstanceOf(Date);
        expect(typed.created.getTime()).toBeGreaterThanOrEqual(before - 60_000);
        expect(typed.created.getTime()).toBeLessThanOrEqual(after + 60_000);

        const subscription = probe(store.subscribeToAll(scoped()));
        const [delivered] = await subscription.events(1);
        await subscription.unsubscribe();
        expect(delivered).toEqual(typed);
      });
    });

    describe('readStream', () => {
      const fill = async (count: number) => {
        const stream = scope.stream('read');
        await store.appendToStream(stream, events(count), { expectedRevision: 'no_stream' });
        return stream;
      };
      const indexes = (recorded: RecordedEvent[]) => recorded.map((e) => Number(e.revision));

      it('tells a never-written stream apart', async () => {
        await store.appendToStream(scope.stream('present'), events(1));
        expect(await store.readStream(scope.stream('absent'))).toEqual({ streamExists: false, events: [] });
        expect(await store.readStream(scope.stream('absent'), { direction: 'backwards' })).toEqual({
          streamExists: false,
          events: [],
        });
        expect(await store.readStream(scope.stream('pres'))).toEqual({ streamExists: false, events: [] });
      });

      it('reads a whole stream forwards by default, every field filled in', async () => {
        const stream = await fill(5);
        await store.appendToStream(scope.stream('read-2'), events(2));
        const result = await store.readStream(stream);

        expect(result.streamExists).toBe(true);
        expect(indexes(result.events)).toEqual([0, 1, 2, 3, 4]);
        for (const e of result.events) {
          expect(e).toEqual({
            id: expect.any(String),
            type: 'Happened',
            data: { tag: 'e', index: Number(e.revision) },
            metadata: {},
            streamId: stream,
            revision: expect.any(BigInt),
            position: { commit: expect.any(BigInt), prepare: expect.any(BigInt) },
            created: expect.any(Date),
          });
        }
      });

      it('reads forwards from a revision (inclusive) up to maxCount', async () => {
        const stream = await fill(10);
        expect(indexes((await store.readStream(stream, { fromRevision: 3n })).events)).toEqual([3, 4, 5, 6, 7, 8, 9]);
        expect(indexes((await store.readStream(stream, { fromRevision: 3n, maxCount: 4 })).events)).toEqual([
          3, 4, 5, 6,
        ]);
        expect(indexes((await store.readStream(stream, { fromRevision: 'start', maxCount: 2 })).events)).toEqual([
          0, 1,
        ]);
        expect(indexes((await store.readStream(stream, { maxCount: 100 })).events)).toHaveLength(10);
      });

      it('reads backwards from the end or from a revision (inclusive) up to maxCount', async () => {
        const stream = await fill(10);
        expect(indexes((await store.readStream(stream, { direction: 'backwards' })).events)).toEqual([
          9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
        ]);
        expect(
          indexes(
            (await store.readStream(stream, { direction: 'backwards', fromRevision: 'end', maxCount: 3 })).events,
          ),
        ).toEqual([9, 8, 7]);
        expect(
          indexes((await store.readStream(stream, { direction: 'backwards', fromRevision: 4n, maxCount: 3 })).events),
        ).toEqual([4, 3, 2]);
        expect(
          indexes((await store.readStream(stream, { direction: 'backwards', fromRevision: 'start' })).events),
        ).toEqual([0]);
      });

      it('answers an existing stream read past its end with no events', async () => {
        const stream = await fill(3);
        expect(await store.readStream(stream, { fromRevision: 3n })).toEqual({ streamExists: true, events: [] });
        expect(await store.readStream(stream, { fromRevision: 'end' })).toEqual({ streamExists: true, events: [] });
      });
    });

    describe('subscribeToAll', () => {
      it('from the start delivers every event in global order, then caughtUp, then live events', async () => {
        const order = ['a', 'b', 'a', 'c', 'b', 'a', 'c'];
        for (const [index, name] of order.entries()) {
          await store.appendToStream(scope.stream(name), [event('Numbered', { index })]);
        }
        const subscription = probe(store.subscribeToAll(scoped()));

        const history = await subscription.untilCaughtUp();
        expect(history.map((e) => e.data.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
        expect(history.map((e) => e.streamId)).toEqual(order.map((n) => scope.stream(n)));
        expect(history.filter((e) => e.streamId === scope.stream('a'))).toEqual(await readAll(scope.stream('a')));

        await store.appendToStream(scope.stream('b'), [event('Numbered', { index: 7 })]);
        await store.appendToStream(scope.stream('d'), [event('Numbered', { index: 8 })]);
        const live = await subscription.events(2);
        expect(live.map((e) => e.data.index)).toEqual([7, 8]);
        await subscription.unsubscribe();
      });

      it('from a position delivers only what comes after it (exclusive)', async () => {
        await store.appendToStream(scope.stream('a'), events(3, 'before'));
        const mark = await store.appendToStream(scope.stream('b'), events(1, 'mark'));
        await store.appendToStream(scope.stream('a'), events(2, 'after'));

        const subscription = probe(store.subscribeToAll({ fromPosition: mark.position, ...scoped() }));
        const delivered = await subscription.untilCaughtUp();
        await subscription.unsubscribe();
        expect(delivered.map((e) => e.data.tag)).toEqual(['after', 'after']);
        expect(delivered[0].position.commit).toBeGreaterThan(mark.position.commit);
      });

      it("from 'end' says caughtUp at once and then delivers only events appended after it", async () => {
        await store.appendToStream(scope.stream('a'), events(3, 'old'));
        const subscription = probe(store.subscribeToAll({ fromPosition: 'end', ...scoped() }));
        // A remote store starts the subscription asynchronously: caughtUp says it stands at the end.
        expect(await subscription.untilCaughtUp()).toEqual([]);
        await store.appendToStream(scope.stream('a'), events(1, 'new'));
        await store.appendToStream(scope.stream('b'), events(1, 'newer'));

        const delivered = await subscription.events(2);
        await subscription.unsubscribe();
        expect(delivered.map((e) => e.data.tag)).toEqual(['new', 'newer']);
      });

      it('with a stream name prefix filter delivers only matching streams, history and live', async () => {
        const tags = ['x', 'keep-1', 'y', 'also-1', 'keep-2'];
        for (const tag of tags) await store.appendToStream(scope.stream(tag), events(1, tag));
        const subscription = probe(
          store.subscribeToAll({
            filter: { streamNamePrefixes: [scope.stream('keep'), scope.stream('also')] },
          }),
        );

        expect((await subscription.untilCaughtUp()).map((e) => e.data.tag)).toEqual(['keep-1', 'also-1', 'keep-2']);
        await store.appendToStream(scope.stream('x'), events(1, 'x'));
        await store.appendToStream(scope.stream('keep-3'), events(1, 'keep-3'));
        expect((await subscription.events(1)).map((e) => e.data.tag)).toEqual(['keep-3']);
        await subscription.unsubscribe();
        expect(subscription.log.filter((m) => m.type === 'event')).toHaveLength(4);
      });

      it('says caughtUp once: after everything committed before subscribing, before later events', async () => {
        await store.appendToStream(scope.stream('a'), events(5, 'history'));
        const subscription = probe(store.subscribeToAll(scoped()));
        const history = await subscription.untilCaughtUp();
        expect(history.map((e) => e.data.tag)).toEqual(Array(5).fill('history'));

        await store.appendToStream(scope.stream('a'), events(3, 'live'));
        await store.appendToStream(scope.stream('b'), events(1, 'sentinel'));
        const live = await subscription.events(4);
        await subscription.unsubscribe();

        expect(live.map((e) => e.data.tag)).toEqual(['live', 'live', 'live', 'sentinel']);
        const kinds = subscription.log.filter((m) => m.type !== 'checkpoint').map((m) => m.type);
        expect(kinds).toEqual([...Array(5).fill('event'), 'caughtUp', ...Array(4).fill('event')]);
      });

      it('says caughtUp even when nothing matches yet, and follows live appends', async () => {
        const subscription = probe(store.subscribeToAll(scoped()));
        expect(await subscription.untilCaughtUp()).toEqual([]);
        const appended = await store.appendToStream(scope.stream('a'), events(1, 'live'));
        const [delivered] = await subscription.events(1, 3000);
        await subscription.unsubscribe();
        expect(delivered.position).toEqual(appended.position);
      });

      it('delivers exactly the committed sequence while appends race the catch-up', async () => {
        const streams = Array.from({ length: 8 }, (_, i) => scope.stream(`race-${i}`));
        for (let i = 0; i < 40; i++) await store.appendToStream(streams[i % 8], events(50, 'history'));
        const racingBatches = Array.from({ length: 300 }, (_, i) => 1 + ((i * 7) % 5));
        const total = 40 * 50 + racingBatches.reduce((sum, size) => sum + size, 0);

        const subscription = probe(store.subscribeToAll(scoped()));
        const writer = (async () => {
          for (const [i, size] of racingBatches.entries()) {
            await store.appendToStream(streams[(i * 3) % 8], events(size, 'race'));
            await nextTurn();
          }
        })();
        const delivered: RecordedEvent[] = [];
        while (delivered.length < total) {
          delivered.push(...(await subscription.events(1, 10_000)));
          if (delivered.length % 7 === 0) await nextTurn();
        }
        await writer;
        const sentinel = await store.appendToStream(scope.stream('sentinel'), events(1, 'sentinel'));
        const [afterAll] = await subscription.events(1);
        await subscription.unsubscribe();

        const committed = (await Promise.all(streams.map(readAll)))
          .flat()
          .sort((a, b) => (a.position.commit < b.position.commit ? -1 : 1));
        expect(committed).toHaveLength(total);
        expect(ids(delivered)).toEqual(ids(committed));
        expect(afterAll.position).toEqual(sentinel.position);
        expect(subscription.log.filter((m) => m.type === 'caughtUp')).toHaveLength(1);
      }, 60_000);

      it('resumed from any delivered position, delivers exactly the remainder', async () => {
        for (let i = 0; i < 30; i++) {
          await store.appendToStream(scope.stream(`s${i % 4}`), events(1 + (i % 3), `batch-${i}`));
        }
        const full = probe(store.subscribeToAll(scoped()));
        const all = await full.untilCaughtUp();
        await full.unsubscribe();
        expect(all).toHaveLength(30 + 30);

        for (let i = 0; i < all.length; i++) {
          const resumed = probe(store.subscribeToAll({ fromPosition: all[i].position, ...scoped() }));
          const rest = await resumed.untilCaughtUp();
          await resumed.unsubscribe();
          expect(ids(rest)).toEqual(ids(all.slice(i + 1)));
        }
      }, 30_000);

      it('delivers positions strictly increasing and equal to the positions read from the streams', async () => {
        for (let i = 0; i < 12; i++) await store.appendToStream(scope.stream(`p${i % 3}`), events(1 + (i % 2)));
        const subscription = probe(store.subscribeToAll(scoped()));
        const delivered = await subscription.untilCaughtUp();
        await subscription.unsubscribe();

        for (let i = 1; i < delivered.length; i++) {
          expect(delivered[i].position.commit).toBeGreaterThan(delivered[i - 1].position.commit);
        }
        const read = (await Promise.all([0, 1, 2].map((i) => readAll(scope.stream(`p${i}`))))).flat();
        const byId = new Map(read.map((e) => [e.id, e.position]));
        for (const e of delivered) expect(e.position).toEqual(byId.get(e.id));
      });

      it('unsubscribe ends the iteration: a pending next() resolves done and nothing more comes', async () => {
        const subscription = store.subscribeToAll(scoped());
        const iterator = subscription[Symbol.asyncIterator]();
        // A store may send checkpoints first (EventStoreDB does for a filtered subscription).
        let first = await iterator.next();
        while (!first.done && first.value.type === 'checkpoint') first = await iterator.next();
        expect(first).toMatchObject({ done: false, value: { type: 'caughtUp' } });

        const pending = iterator.next();
        await subscription.unsubscribe();
        await expect(pending).resolves.toEqual({ done: true, value: undefined });
        await store.appendToStream(scope.stream('a'), events(1));
        await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
      });

      it('ends a for-await loop when unsubscribed from inside it, and when the loop breaks', async () => {
        await store.appendToStream(scope.stream('a'), events(3));
        const subscription = store.subscribeToAll(scoped());
        const seen: string[] = [];
        for await (const message of subscription) {
          if (message.type !== 'checkpoint') seen.push(message.type);
          if (message.type === 'caughtUp') await subscription.unsubscribe();
        }
        expect(seen).toEqual(['event', 'event', 'event', 'caughtUp']);

        const broken = store.subscribeToAll(scoped());
        for await (const message of broken) {
          if (message.type === 'event') break;
        }
        await expect(broken[Symbol.asyncIterator]().next()).resolves.toEqual({ done: true, value: undefined });
      });

      it('ends open subscriptions when the store closes', async () => {
        const subscription = store.subscribeToAll(scoped());
        const iterator = subscription[Symbol.asyncIterator]();
        await iterator.next();
        const pending = iterator.next();
        await store.close();
        await expect(pending).resolves.toEqual({ done: true, value: undefined });
      });
    });
  });
};
