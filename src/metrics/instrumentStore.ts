import { ConcurrencyError, type EventStore, type Position, StoreUnavailableError } from '../eventstore';
import { eventsAppended, storeCallSeconds } from './registry';

const timed = async <T>(call: string, run: () => Promise<T>): Promise<T> => {
  const end = storeCallSeconds.startTimer({ call });
  try {
    const result = await run();
    end({ outcome: 'ok' });
    return result;
  } catch (error) {
    end({ outcome: error instanceof ConcurrencyError ? 'conflict' : error instanceof StoreUnavailableError ? 'unavailable' : 'error' });
    throw error;
  }
};

/** The store, timing (outcome `ok`, `conflict`, `unavailable` or `error`) its appends and reads and counting the events appended; subscriptions pass through. */
export const instrumentEventStore = (store: EventStore, onAppended: (position: Position) => void = () => undefined): EventStore => ({
  appendToStream: (streamId, events, options) =>
    timed('appendToStream', async () => {
      const result = await store.appendToStream(streamId, events, options);
      eventsAppended.inc(events.length);
      onAppended(result.position);
      return result;
    }),
  readStream: (streamId, options) => timed('readStream', () => store.readStream(streamId, options)),
  subscribeToAll: (options) => store.subscribeToAll(options),
  close: () => store.close(),
});
