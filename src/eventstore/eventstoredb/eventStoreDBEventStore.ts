import { END, START, streamNameFilter } from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { StoreUnavailableError } from '../errors';
import { type EventStore, type SubscribeToAllOptions } from '../eventStore';
import { assertExpectedRevision, assertStreamId, checkEvents, checkFilterPrefixes, checkFromPosition } from '../inputChecks';
import { openConnection } from './connection';
import { type EventStoreDBSubscription, startEventStoreDBSubscription } from './eventStoreDBSubscription';
import { appendEvents, readEvents } from './streamCalls';

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
  // Commands and subscriptions have connections of their own: a command that times out replaces
  // its connection, which must not cut the projections' subscriptions on a server that is only slow.
  const commands = openConnection(options.connectionString, deadline);
  const following = openConnection(options.connectionString, deadline);
  const subscriptions = new Set<EventStoreDBSubscription>();
  let closed = false;

  const assertOpen = (): void => {
    if (closed) throw new StoreUnavailableError('The event store is closed');
  };

  return {
    appendToStream: async (streamId, events, appendOptions) => {
      assertOpen();
      assertStreamId(streamId);
      const expected = appendOptions?.expectedRevision ?? 'any';
      assertExpectedRevision(expected);
      return appendEvents(commands, streamId, checkEvents(streamId, events, newId), expected, deadline);
    },

    readStream: async (streamId, readOptions = {}) => {
      assertOpen();
      assertStreamId(streamId);
      return readEvents(commands, streamId, readOptions, deadline);
    },

    subscribeToAll: (subscribeOptions: SubscribeToAllOptions = {}) => {
      assertOpen();
      const from = subscribeOptions.fromPosition;
      checkFromPosition(from);
      const prefixes = checkFilterPrefixes(subscribeOptions.filter);
      const subscription = startEventStoreDBSubscription({
        open: (onCheckpoint) =>
          following.lasting().subscribeToAll({
            fromPosition: from === undefined || from === 'start' ? START : from === 'end' ? END : from,
            ...(prefixes === undefined
              ? {}
              : { filter: streamNameFilter({ prefixes, checkpointReached: (_, position) => onCheckpoint(position) }) }),
          }),
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
      await Promise.all([commands.close(), following.close()]);
    },
  };
};
