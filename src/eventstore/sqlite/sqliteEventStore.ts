import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { sqliteErrorCode } from '../../jsutils';
import { StoreUnavailableError } from '../errors';
import {
  type EventData,
  type EventStore,
  type ExpectedRevision,
  type ReadStreamOptions,
  type ReadStreamResult,
  type SubscribeToAllOptions,
} from '../eventStore';
import {
  assertExpectedRevision,
  assertStreamId,
  checkFilterPrefixes,
  checkFromPosition,
  checkReadOptions,
} from '../inputChecks';
import { type AppendOutcome, type PendingEvent, appendEvents, toPendingEvents } from './appendEvents';
import { MAX_SQLITE_INTEGER, prepareStatements, toRecordedEvent } from './eventRows';
import { openEventStoreDatabase } from './schema';
import { type SqliteSubscription, startSqliteSubscription } from './sqliteSubscription';

/** Options of `getSqliteEventStore`. */
export interface SqliteEventStoreOptions {
  /** The database file, created when absent (its folder must exist); `:memory:` for a private in-memory store. */
  path: string;
  /** How often a waiting subscription looks for appends made by other handles or processes; default 250 ms. */
  pollIntervalMs?: number;
  /** Events a subscription reads at a time; default 500. */
  pageSize?: number;
  /** How long a write waits for another writer's lock before failing; default 5000 ms. */
  busyTimeoutMs?: number;
  /** The clock that stamps `created`; injectable for tests. */
  now?: () => Date;
  /** Makes the ids of events appended without one; default `crypto.randomUUID`. */
  newId?: () => string;
  /**
   * Asked before each append: the most pages the file may have (SQLite's `max_page_count`), or
   * null for no limit but the disk's. Tests use it to fill the store as a full disk does.
   */
  maxPageCount?: () => number | null;
  /**
   * `FULL` (the default): every commit is on disk before the append answers. `NORMAL`, for bulk
   * loads such as `seed` only: commits reach the disk at WAL checkpoints, so a power loss may undo
   * the last ones (never corrupting the file; a crash of the process loses nothing).
   */
  synchronous?: 'FULL' | 'NORMAL';
}

const positiveInteger = (value: number | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer`);
  return value;
};

/** Keeps our own errors; a database failure becomes `StoreUnavailableError` with the cause kept. */
const translated = (error: unknown): Error => {
  const code = sqliteErrorCode(error);
  if (code === 'SQLITE_FULL') {
    return new StoreUnavailableError(
      'The event store is full (SQLITE_FULL): its disk has no room left; nothing was recorded. Free some space and try again',
      { sqliteCode: code },
      { cause: error },
    );
  }
  if (code !== null) {
    return new StoreUnavailableError(
      `The event store failed (${code})`,
      { sqliteCode: code },
      { cause: error },
    );
  }
  return error instanceof Error ? error : new StoreUnavailableError('The event store failed', {}, { cause: error });
};

const guarded = <T>(work: () => T): T => {
  try {
    return work();
  } catch (error) {
    throw translated(error);
  }
};

/** Runs synchronous database work as a promise, so every failure arrives as a rejection. */
const promised = <T>(work: () => T): Promise<T> => {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(translated(error));
  }
};

const revisionBound = (from: bigint | 'start' | 'end'): bigint =>
  from === 'start' ? 0n : from === 'end' || from > MAX_SQLITE_INTEGER ? MAX_SQLITE_INTEGER : from;

type Statements = ReturnType<typeof prepareStatements>;

/** Sets the file's page limit from `maxPageCount` before an append; does nothing without it. */
const pageLimiter = (db: Database.Database, maxPageCount: (() => number | null) | undefined): (() => void) => {
  if (!maxPageCount) return () => undefined;
  /** SQLite's largest page count: what `max_page_count` is when nothing limits it. */
  const unlimited = Number(db.pragma('max_page_count', { simple: true }));
  return () => {
    db.pragma(`max_page_count = ${maxPageCount() ?? unlimited}`);
  };
};

/** Reads one stream; a stream never written answers `streamExists: false`. */
const readStreamFrom = (statements: Statements, streamId: string, readOptions: ReadStreamOptions): ReadStreamResult => {
  assertStreamId(streamId);
  const { direction, fromRevision, maxCount } = checkReadOptions(readOptions);
  const from = revisionBound(fromRevision);
  const limit = maxCount === undefined ? -1n : BigInt(maxCount);
  const read = direction === 'forwards' ? statements.readForwards : statements.readBackwards;
  const rows = read.all(streamId, from, limit);
  if (rows.length === 0 && statements.lastOfStream.get(streamId) === undefined) {
    return { streamExists: false, events: [] };
  }
  return { streamExists: true, events: rows.map(toRecordedEvent) };
};

/** The position a subscription starts after. */
const startingPoint = (statements: Statements, from: SubscribeToAllOptions['fromPosition']): bigint => {
  checkFromPosition(from);
  if (from === undefined || from === 'start') return 0n;
  if (from === 'end') return guarded(() => statements.head.get()?.position ?? 0n);
  return from.commit > MAX_SQLITE_INTEGER ? MAX_SQLITE_INTEGER : from.commit;
};

/** Whether a stream passes a subscription's filter. */
const streamFilter = (filter: SubscribeToAllOptions['filter']): ((streamId: string) => boolean) => {
  const prefixes = checkFilterPrefixes(filter);
  if (prefixes === undefined) return () => true;
  return (streamId) => prefixes.some((prefix) => streamId.startsWith(prefix));
};

/** Checks what an append is given, before any I/O; events without an id get one. */
const checkedAppend = (streamId: string, events: EventData[], expectedRevision: ExpectedRevision | undefined, newId: () => string) => {
  assertStreamId(streamId);
  const expected = expectedRevision ?? 'any';
  assertExpectedRevision(expected);
  return { pending: toPendingEvents(streamId, events, newId), expected };
};

/** Tells waiting subscriptions, once each, that this handle appended. */
const appendSignal = () => {
  const listeners = new Set<() => void>();
  return {
    /** Calls `listener` on the next append; answers a function that cancels it. */
    once(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    fire(): void {
      const waiting = [...listeners];
      listeners.clear();
      for (const listener of waiting) listener();
    },
    clear: () => listeners.clear(),
  };
};

/**
 * The embedded event store: one SQLite file holding every stream, with EventStoreDB semantics.
 * Several handles and processes may share the file; appends are serialized by SQLite's write
 * lock, so global positions commit in order and subscriptions never skip one.
 */
export const getSqliteEventStore = (options: SqliteEventStoreOptions): EventStore => {
  const pollIntervalMs = positiveInteger(options.pollIntervalMs, 250, 'pollIntervalMs');
  const pageSize = positiveInteger(options.pageSize, 500, 'pageSize');
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? randomUUID;
  const db = guarded(() => openEventStoreDatabase(options.path, positiveInteger(options.busyTimeoutMs, 5000, 'busyTimeoutMs'), options.synchronous));
  const statements = prepareStatements(db);
  const limitPages = pageLimiter(db, options.maxPageCount);
  const append = db.transaction((streamId: string, pending: PendingEvent[], expected: ExpectedRevision, created: bigint): AppendOutcome => {
    limitPages();
    return appendEvents(statements, streamId, pending, expected, created);
  });
  const nextAppend = appendSignal();
  const subscriptions = new Set<SqliteSubscription>();
  let closed = false;

  const assertOpen = (): void => {
    if (closed) throw new StoreUnavailableError('The event store is closed');
  };

  return {
    appendToStream: (streamId, events, appendOptions) =>
      promised(() => {
        assertOpen();
        const { pending, expected } = checkedAppend(streamId, events, appendOptions?.expectedRevision, newId);
        const { result, written } = append.immediate(streamId, pending, expected, BigInt(now().getTime()));
        if (written) nextAppend.fire();
        return result;
      }),

    readStream: (streamId, readOptions = {}) =>
      promised((): ReadStreamResult => {
        assertOpen();
        return readStreamFrom(statements, streamId, readOptions);
      }),

    subscribeToAll: (subscribeOptions = {}) => {
      assertOpen();
      const matches = streamFilter(subscribeOptions.filter);
      const subscription = startSqliteSubscription(startingPoint(statements, subscribeOptions.fromPosition), matches, {
        readPage: (position, limit) => statements.readAllAfter.all(position, BigInt(limit)),
        onNextAppend: (listener) => nextAppend.once(listener),
        ended: () => subscriptions.delete(subscription),
        pageSize,
        pollIntervalMs,
      });
      subscriptions.add(subscription);
      return subscription;
    },

    close: () =>
      promised(() => {
        if (closed) return;
        closed = true;
        for (const subscription of [...subscriptions]) subscription.end();
        nextAppend.clear();
        db.close();
      }),
  };
};
