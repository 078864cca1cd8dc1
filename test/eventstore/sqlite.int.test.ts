import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DuplicateEventIdError,
  type EventData,
  type EventStore,
  type ExpectedRevision,
  type RecordedEvent,
  StoreUnavailableError,
} from '../../src/eventstore';
import { getSqliteEventStore, type SqliteEventStoreOptions } from '../../src/eventstore/sqlite';
import { describeEventStoreContract } from './contract/eventStoreContract';
import { probe } from './contract/subscriptionProbe';
import { buildAppenderScript, startAppender } from './support/appender';

const tempDirs: string[] = [];
const newTempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'eventstore-'));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describeEventStoreContract('sqlite', async () => {
  const dir = newTempDir();
  const store = getSqliteEventStore({ path: join(dir, 'events.db'), pageSize: 64, pollIntervalMs: 100 });
  return Promise.resolve({
    store,
    teardown: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});

const events = (count: number, tag = 'e'): EventData[] =>
  Array.from({ length: count }, (_, index) => ({ type: 'Happened', data: { tag, index } }));

const readEverything = async (store: EventStore): Promise<RecordedEvent[]> => {
  const subscription = probe(store.subscribeToAll());
  const all = await subscription.untilCaughtUp(20_000);
  await subscription.unsubscribe();
  return all;
};

const rawPragma = (path: string, pragma: string): unknown => {
  const db = new Database(path);
  try {
    return db.pragma(pragma, { simple: true });
  } finally {
    db.close();
  }
};

describe('sqlite event store', () => {
  let dir: string;
  let path: string;
  const open: EventStore[] = [];
  const openStore = (options: Partial<SqliteEventStoreOptions> = {}): EventStore => {
    const store = getSqliteEventStore({ path, pollIntervalMs: 50, ...options });
    open.push(store);
    return store;
  };

  beforeEach(() => {
    dir = newTempDir();
    path = join(dir, 'events.db');
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
  });

  describe('durability and the file', () => {
    it('creates the schema in WAL mode with a schema version, and refuses a file from a newer version', async () => {
      await openStore().close();
      expect(rawPragma(path, 'journal_mode')).toBe('wal');
      expect(Number(rawPragma(path, 'user_version'))).toBe(1);

      const db = new Database(path);
      db.pragma('user_version = 99');
      db.close();
      expect(() => getSqliteEventStore({ path })).toThrow(StoreUnavailableError);
    });

    it('refuses a file that is not a database with StoreUnavailableError', () => {
      writeFileSync(path, 'this is not an sqlite database, only some text that is long enough '.repeat(20));
      expect(() => getSqliteEventStore({ path })).toThrow(StoreUnavailableError);
    });

    it('keeps every event after reopening, and appends continue both sequences', async () => {
      const first = openStore();
      await first.appendToStream('a', events(3), { expectedRevision: 'no_stream' });
      const last = await first.appendToStream('b', events(2), { expectedRevision: 'no_stream' });
      const before = await readEverything(first);
      await first.close();

      const reopened = openStore();
      expect(await readEverything(reopened)).toEqual(before);
      expect((await reopened.readStream('a')).events).toEqual(before.slice(0, 3));
      const next = await reopened.appendToStream('a', events(1), { expectedRevision: 2n });
      expect(next.nextExpectedRevision).toBe(3n);
      expect(next.position.commit).toBe(last.position.commit + 1n);
    });

    it('keeps revisions and positions exact beyond 2^53', async () => {
      await openStore().close();
      const far = 2n ** 62n;
      const db = new Database(path);
      db.defaultSafeIntegers(true);
      db.prepare(
        `INSERT INTO events (position, event_id, stream_id, revision, type, data, metadata, created)
         VALUES (?, ?, 'far', ?, 'Seeded', '{}', '{}', 0)`,
      ).run(far, randomUUID(), 2n ** 60n);
      db.close();

      const store = openStore();
      const result = await store.appendToStream('far', events(1), { expectedRevision: 2n ** 60n });
      expect(result).toEqual({
        nextExpectedRevision: 2n ** 60n + 1n,
        position: { commit: far + 1n, prepare: far + 1n },
      });
      const [read] = (await store.readStream('far', { fromRevision: 2n ** 60n + 1n })).events;
      expect(read.revision).toBe(2n ** 60n + 1n);
      const subscription = probe(store.subscribeToAll({ fromPosition: { commit: far, prepare: far } }));
      expect((await subscription.untilCaughtUp()).map((e) => e.position.commit)).toEqual([far + 1n]);
      await subscription.unsubscribe();
    });

    it('works in memory', async () => {
      const store = getSqliteEventStore({ path: ':memory:' });
      open.push(store);
      await store.appendToStream('a', events(2));
      expect((await store.readStream('a')).events).toHaveLength(2);
    });
  });

  describe('several handles and processes on one file', () => {
    it('a subscription sees appends made through a second handle (polling fallback)', async () => {
      const reader = openStore({ pollIntervalMs: 50 });
      const writer = openStore();
      const subscription = probe(reader.subscribeToAll());
      await subscription.untilCaughtUp();

      await writer.appendToStream('elsewhere', events(3, 'other-handle'));
      const delivered = await subscription.events(3, 2000);
      await subscription.unsubscribe();
      expect(delivered.map((e) => e.data.tag)).toEqual(['other-handle', 'other-handle', 'other-handle']);
    });

    it('an append on the same handle wakes a waiting subscription at once, not at the next poll', async () => {
      const store = openStore({ pollIntervalMs: 60_000 });
      const subscription = probe(store.subscribeToAll());
      await subscription.untilCaughtUp();
      const waiting = subscription.events(1, 1000);
      await new Promise((settle) => setTimeout(settle, 50));
      const started = Date.now();
      await store.appendToStream('a', events(1));
      await waiting;
      await subscription.unsubscribe();
      expect(Date.now() - started).toBeLessThan(500);
    });

    describe('with child processes', () => {
      let script: string;
      beforeAll(() => {
        script = buildAppenderScript(newTempDir());
      });

      it('a live subscription sees the appends of another process', async () => {
        const store = openStore({ pollIntervalMs: 50 });
        const subscription = probe(store.subscribeToAll());
        await subscription.untilCaughtUp();

        const appender = startAppender(script, path, 'child', 20);
        expect(await appender.exited).toBe(0);
        const acknowledged = appender.acks.flatMap((ack) => ack.ids);
        const delivered = await subscription.events(acknowledged.length, 5000);
        await subscription.unsubscribe();
        expect(delivered.map((e) => e.id)).toEqual(acknowledged);
      }, 20_000);

      it('two processes appending to the same streams at once lose nothing and keep both sequences gapless', async () => {
        openStore();
        const left = startAppender(script, path, 'shared', 150);
        const right = startAppender(script, path, 'shared', 150);
        expect([await left.exited, await right.exited]).toEqual([0, 0]);

        const all = await readEverything(openStore());
        const acknowledged = [...left.acks, ...right.acks].flatMap((ack) => ack.ids);
        expect(all.map((e) => e.position.commit)).toEqual(all.map((_, i) => BigInt(i + 1)));
        expect(new Set(all.map((e) => e.id))).toEqual(new Set(acknowledged));
        expect(all).toHaveLength(acknowledged.length);
        for (let stream = 0; stream < 7; stream++) {
          const revisions = all.filter((e) => e.streamId === `shared-${stream}`).map((e) => e.revision);
          expect(revisions).toEqual(revisions.map((_, i) => BigInt(i)));
        }
      }, 30_000);
    });
  });

  describe('event ids', () => {
    const withId = (tag: string, id: string = randomUUID()): EventData => ({ id, type: 'Tagged', data: { tag } });

    it('refuses an id recorded elsewhere with DuplicateEventIdError, and the whole append leaves no trace', async () => {
      const store = openStore();
      const recorded = withId('recorded');
      const second = withId('second');
      await store.appendToStream('a', [recorded, second], { expectedRevision: 'no_stream' });

      const attempts: Array<[string, EventData[], ExpectedRevision, string]> = [
        ['b', [recorded], 'any', recorded.id!],
        ['a', [withId('fresh-1'), withId('fresh-2'), recorded], 'any', recorded.id!],
        ['a', [recorded], 1n, recorded.id!],
        ['a', [recorded], 'stream_exists', recorded.id!],
        ['a', [withId('fresh-3'), recorded], 'no_stream', recorded.id!],
        ['a', [second, recorded], 'any', second.id!],
      ];
      for (const [streamId, batch, expectedRevision, eventId] of attempts) {
        const error: unknown = await store.appendToStream(streamId, batch, { expectedRevision }).catch((e) => e);
        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(error).toMatchObject({ eventId, streamId, code: 'CONFLICT' });
      }

      const all = await readEverything(store);
      expect(all.map((e) => e.data.tag)).toEqual(['recorded', 'second']);
    });

    it('refuses the same id twice in one append', async () => {
      const store = openStore();
      const twice = withId('twice');
      await expect(store.appendToStream('a', [twice, { ...twice }])).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await store.readStream('a')).toEqual({ streamExists: false, events: [] });
    });

    it('treats ids case-insensitively, as UUIDs', async () => {
      const store = openStore();
      const id = randomUUID();
      const first = await store.appendToStream('a', [withId('x', id.toUpperCase())], { expectedRevision: 'no_stream' });
      expect((await store.readStream('a')).events[0].id).toBe(id);
      expect(await store.appendToStream('a', [withId('x', id)], { expectedRevision: 'no_stream' })).toEqual(first);
    });

    it('uses the injected clock and id generator', async () => {
      let next = 0;
      const ids = [randomUUID(), randomUUID()];
      const store = openStore({ now: () => new Date('2030-01-02T03:04:05.678Z'), newId: () => ids[next++] });
      await store.appendToStream('a', events(2));
      const recorded = (await store.readStream('a')).events;
      expect(recorded.map((e) => e.id)).toEqual(ids);
      expect(recorded[0].created).toEqual(new Date('2030-01-02T03:04:05.678Z'));
    });
  });

  describe('concurrent appends', () => {
    it('answers each of many concurrent appends on its own: one failed expectation rolls back only itself', async () => {
      const store = openStore();
      await store.appendToStream('taken', events(1));
      const attempts = Array.from({ length: 40 }, (_, i) =>
        i % 4 === 0
          ? store.appendToStream('taken', events(1), { expectedRevision: 'no_stream' })
          : store.appendToStream(`fresh-${i}`, events(2), { expectedRevision: 'no_stream' }),
      );
      const settled = await Promise.allSettled(attempts);
      settled.forEach((outcome, i) => {
        if (i % 4 === 0) {
          expect(outcome.status).toBe('rejected');
          expect((outcome as PromiseRejectedResult).reason).toMatchObject({ streamId: 'taken', actual: 0n });
        } else {
          expect(outcome).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1n } });
        }
      });
      expect((await store.readStream('taken')).events).toHaveLength(1);
      const positions = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.position.commit] : []));
      // In the order asked, without gaps: the failed appends left no trace.
      expect(positions).toEqual(Array.from({ length: 30 }, (_, i) => 3n + 2n * BigInt(i)));
    });

    it('sees, within one batch, what earlier appends of the batch wrote', async () => {
      const store = openStore();
      const [first, second, third] = await Promise.allSettled([
        store.appendToStream('s', events(1), { expectedRevision: 'no_stream' }),
        store.appendToStream('s', events(1), { expectedRevision: 0n }),
        store.appendToStream('s', events(1), { expectedRevision: 0n }),
      ]);
      expect(first).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 0n } });
      expect(second).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1n } });
      expect(third).toMatchObject({ status: 'rejected', reason: { actual: 1n } });
    });
  });

  describe('details of this adapter', () => {
    it('answers an empty append with the position of the stream’s last event, or 0 when it has none', async () => {
      const store = openStore();
      expect(await store.appendToStream('a', [])).toEqual({
        nextExpectedRevision: -1n,
        position: { commit: 0n, prepare: 0n },
      });
      const written = await store.appendToStream('a', events(2));
      await store.appendToStream('b', events(1));
      expect(await store.appendToStream('a', [], { expectedRevision: 1n })).toEqual(written);
    });

    it('emits a checkpoint for each page the filter empties, then caughtUp at the head', async () => {
      const store = openStore({ pageSize: 10 });
      const empty = probe(store.subscribeToAll());
      expect(await empty.next()).toEqual({ type: 'caughtUp', position: null });
      await empty.unsubscribe();

      await store.appendToStream('other', events(25));
      const mine = await store.appendToStream('mine', events(1));
      const subscription = probe(store.subscribeToAll({ filter: { streamNamePrefixes: ['mine'] } }));
      await subscription.untilCaughtUp();
      await store.appendToStream('other', events(1));
      expect(await subscription.next()).toEqual({ type: 'checkpoint', position: { commit: 27n, prepare: 27n } });
      await subscription.unsubscribe();

      expect(subscription.log.map((m) => (m.type === 'event' ? m.event.position.commit : m))).toEqual([
        { type: 'checkpoint', position: { commit: 10n, prepare: 10n } },
        { type: 'checkpoint', position: { commit: 20n, prepare: 20n } },
        mine.position.commit,
        { type: 'caughtUp', position: mine.position },
        { type: 'checkpoint', position: { commit: 27n, prepare: 27n } },
      ]);
    });

    it('fails work after close with StoreUnavailableError, and closing twice is harmless', async () => {
      const store = openStore();
      await store.close();
      await store.close();
      await expect(store.appendToStream('a', events(1))).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.readStream('a')).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(() => store.subscribeToAll()).toThrow(StoreUnavailableError);
    });

    it('rejects malformed input as a programming error and writes nothing', async () => {
      const store = openStore();
      const bad: Array<() => Promise<unknown>> = [
        () => store.appendToStream('', events(1)),
        () => store.appendToStream('a', [{ type: '', data: {} }]),
        () => store.appendToStream('a', [{ type: 'A', data: [] as never }]),
        () => store.appendToStream('a', [{ type: 'A', data: {}, metadata: null as never }]),
        () => store.appendToStream('a', [{ id: 'not-a-uuid', type: 'A', data: {} }]),
        () => store.appendToStream('a', events(1), { expectedRevision: -1n }),
        () => store.appendToStream('a', events(1), { expectedRevision: 3 as never }),
        () => store.readStream('a', { maxCount: -1 }),
        () => store.readStream('a', { fromRevision: -2n }),
        () => store.readStream('a', { direction: 'sideways' as never }),
      ];
      for (const attempt of bad) {
        const error: unknown = await attempt().catch((e) => e);
        expect([TypeError, RangeError]).toContain((error as Error).constructor);
      }
      expect(() => store.subscribeToAll({ filter: { streamNamePrefixes: [] } })).toThrow(TypeError);
      expect(() => getSqliteEventStore({ path, pageSize: 0 })).toThrow(RangeError);
      expect(await store.readStream('a')).toEqual({ streamExists: false, events: [] });
    });
  });
});
