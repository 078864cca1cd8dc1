import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { InternalError } from '../../errors';
import { ConcurrencyError, StoreUnavailableError } from '../errors';
import {
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ReadStreamOptions,
  type ReadStreamResult,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../eventStore';
import {
  assertExpectedRevision,
  assertStreamId,
  checkEvents,
  checkFilterPrefixes,
  checkFromPosition,
  checkReadOptions,
  expectationHolds,
} from '../inputChecks';
import { type EventStoreDBSubscription, startEventStoreDBSubscription } from './eventStoreDBSubscription';
import { toRecordedEvent } from './recordedEvents';
import { type StoreOperation, translateError } from './translateError';

/** Options of `getEventStoreDBEventStore`. */
export interface EventStoreDBEventStoreOptions {
  /** The server or cluster, e.g. `esdb://localhost:2113?tls=false`. */
  connectionString: string;
  /** Longest an append or read waits for the server before it fails as unavailable; default 5000 ms. */
  deadlineMs?: number;
  /** Most messages a subscription holds for a slow consumer before it pauses the server; default 1000. */
  subscriptionHighWaterMark?: number;
  /** Makes the ids of events appended without one; default `crypto.randomUUID`. */
  newId?: () => string;
}

type Client = ReturnType<typeof EventStoreDBClient.connectionString>;

/**
 * Ends a client's calls and closes its connection. The client's `dispose` cancels its calls but
 * leaves the gRPC channel open (until the channel's idle timeout); its `getChannel` is protected,
 * so it is reached through this one narrow view. A client that never connected has nothing to close.
 */
const shutDown = async (client: Client, everConnected: boolean): Promise<void> => {
  await client.dispose();
  if (!everConnected) return;
  const channel = await (client as unknown as { getChannel(): Promise<{ close(): void }> }).getChannel().catch(() => null);
  channel?.close();
};

const positiveInteger = (value: number | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer`);
  return value;
};

/**
 * The production event store: EventStoreDB (or a cluster) through `@eventstore/db-client`.
 * Appends carry their event ids, so the server deduplicates a retried append; every call has a
 * deadline, so a store that is down or stuck fails a command quickly with `StoreUnavailableError`
 * instead of hanging it. Positions stay 64-bit bigints end to end. Subscriptions to `$all` filter
 * by stream name prefix on the server and need no system projections.
 */
export const getEventStoreDBEventStore = (options: EventStoreDBEventStoreOptions): EventStore => {
  const deadline = positiveInteger(options.deadlineMs, 5000, 'deadlineMs');
  const highWaterMark = positiveInteger(options.subscriptionHighWaterMark, 1000, 'subscriptionHighWaterMark');
  const newId = options.newId ?? randomUUID;
  const connect = () => EventStoreDBClient.connectionString(options.connectionString);
  // Commands and subscriptions have connections of their own: a command that times out replaces
  // its connection, which must not cut the projections' subscriptions on a server that is only slow.
  let client = connect();
  const subscriptionClient = connect();
  // Clients that made a call, so have a channel to close; asking one that did not would connect it.
  const used = new WeakSet<Client>();
  const retired = new Set<Promise<void>>();
  const subscriptions = new Set<EventStoreDBSubscription>();
  let closed = false;

  const assertOpen = (): void => {
    if (closed) throw new StoreUnavailableError('The event store is closed');
  };

  /**
   * Bounds a call by the deadline on our side too: the client gives its server-features request
   * and batch appends no deadline of its own, so a server that accepts connections but does not
   * answer would hold them forever. A call that runs out of time leaves a client that may be
   * stuck behind such a request, so the next call gets a fresh connection.
   */
  const bounded = <T>(operation: StoreOperation, call: (current: typeof client) => Promise<T>): Promise<T> => {
    const current = client;
    used.add(current);
    const work = call(current);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (client === current && !closed) {
          client = connect();
          const disposing = shutDown(current, true).catch(() => undefined);
          retired.add(disposing);
          void disposing.then(() => retired.delete(disposing));
        }
        work.catch(() => undefined);
        reject(
          new StoreUnavailableError(
            `The event store (EventStoreDB) did not answer within ${deadline} ms while ${operation === 'append' ? 'appending events; the events may or may not have been recorded' : 'reading a stream'}`,
            { store: 'eventstoredb' },
          ),
        );
      }, deadline);
    });
    return Promise.race([work, timedOut]).finally(() => clearTimeout(timer));
  };

  const readEvents = async (streamId: string, readOptions: ReadStreamOptions): Promise<ReadStreamResult> => {
    const { direction, fromRevision, maxCount } = checkReadOptions(readOptions);
    if (direction === 'forwards' && fromRevision === 'end') {
      // The server answers a forwards read from the end with an error (UNKNOWN, "Unexpected
      // ReadStreamResult"); there is nothing after the end, so only ask whether the stream exists.
      const { streamExists } = await readEvents(streamId, { direction: 'backwards', maxCount: 0 });
      return { streamExists, events: [] };
    }
    const events: RecordedEvent[] = [];
    try {
      await bounded('read', async (current) => {
        const reading = current.readStream(streamId, {
          direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
          fromRevision: fromRevision === 'start' ? START : fromRevision === 'end' ? END : fromRevision,
          // The server cannot be asked for nothing: a read of none asks for one to learn whether the stream exists.
          ...(maxCount === undefined ? {} : { maxCount: Math.max(maxCount, 1) }),
          deadline,
        });
        for await (const resolved of reading) events.push(toRecordedEvent(resolved));
      });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { streamExists: false, events: [] };
      throw translateError(error, 'read');
    }
    return { streamExists: true, events: maxCount === 0 ? [] : events };
  };

  /** An append of nothing checks the expectation and answers where the stream stands. */
  const checkOnly = async (streamId: string, expected: ExpectedRevision): Promise<AppendResult> => {
    const { events } = await readEvents(streamId, { direction: 'backwards', maxCount: 1 });
    const last = events[0];
    if (!expectationHolds(expected, last?.revision)) {
      throw new ConcurrencyError(streamId, expected, last?.revision ?? 'no_stream');
    }
    return { nextExpectedRevision: last?.revision ?? -1n, position: last?.position ?? { commit: 0n, prepare: 0n } };
  };

  return {
    appendToStream: async (streamId, events, appendOptions) => {
      assertOpen();
      assertStreamId(streamId);
      const expected = appendOptions?.expectedRevision ?? 'any';
      assertExpectedRevision(expected);
      const checked = checkEvents(streamId, events, newId);
      if (checked.length === 0) return checkOnly(streamId, expected);
      try {
        const result = await bounded('append', (current) =>
          current.appendToStream(
            streamId,
            checked.map(({ id, type, data, metadata }) => jsonEvent({ id, type, data, metadata })),
            { expectedRevision: expected, deadline },
          ),
        );
        if (!result.position) throw new InternalError(`EventStoreDB answered the append to ${streamId} without a position`);
        return {
          nextExpectedRevision: result.nextExpectedRevision,
          position: { commit: result.position.commit, prepare: result.position.prepare },
        };
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) {
          throw new ConcurrencyError(streamId, expected, error.actualVersion);
        }
        throw translateError(error, 'append');
      }
    },

    readStream: async (streamId, readOptions = {}) => {
      assertOpen();
      assertStreamId(streamId);
      return readEvents(streamId, readOptions);
    },

    subscribeToAll: (subscribeOptions: SubscribeToAllOptions = {}) => {
      assertOpen();
      const from = subscribeOptions.fromPosition;
      checkFromPosition(from);
      const prefixes = checkFilterPrefixes(subscribeOptions.filter);
      const subscription = startEventStoreDBSubscription({
        open: (onCheckpoint) => {
          used.add(subscriptionClient);
          return subscriptionClient.subscribeToAll({
            fromPosition: from === undefined || from === 'start' ? START : from === 'end' ? END : from,
            ...(prefixes === undefined
              ? {}
              : { filter: streamNameFilter({ prefixes, checkpointReached: (_, position) => onCheckpoint(position) }) }),
          });
        },
        ended: () => subscriptions.delete(subscription),
        highWaterMark,
      });
      subscriptions.add(subscription);
      return subscription;
    },

    close: async () => {
      if (closed) return;
      closed = true;
      for (const subscription of [...subscriptions]) subscription.end();
      await Promise.all([
        shutDown(client, used.has(client)),
        shutDown(subscriptionClient, used.has(subscriptionClient)),
        ...retired,
      ]);
    },
  };
};
