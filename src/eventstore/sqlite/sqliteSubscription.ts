import { StoreUnavailableError } from '../errors';
import { type SubscriptionMessage } from '../eventStore';
import { DONE, type EndableSubscription, pulledSubscription } from '../pulledSubscription';
import { type EventRow, toPosition, toRecordedEvent } from './eventRows';

/** What a subscription needs from its store. */
export interface SubscriptionSource {
  /** Reads up to `limit` events after `position`, in global order. */
  readPage(position: bigint, limit: number): EventRow[];
  /** Calls `listener` once, on the next append by this handle; answers a function that cancels it. */
  onNextAppend(listener: () => void): () => void;
  /** Told once, when the subscription ends. */
  ended(): void;
  pageSize: number;
  pollIntervalMs: number;
}

/** A subscription plus the way its store ends it. */
export type SqliteSubscription = EndableSubscription;

/**
 * Starts a pull-driven subscription to every event after `after`: a page is read only when the
 * consumer asks for more than is buffered, so at most one page is held. Once a read comes back
 * short of a page, everything committed before it has been delivered and `caughtUp` follows.
 * While waiting, it wakes on this handle's next append or after `pollIntervalMs`, which is how
 * appends by other handles and processes are seen.
 */
export const startSqliteSubscription = (
  after: bigint,
  matches: (streamId: string) => boolean,
  source: SubscriptionSource,
): SqliteSubscription => {
  let cursor = after;
  let caughtUp = false;
  let ended = false;
  let buffer: SubscriptionMessage[] = [];
  let wake: (() => void) | undefined;

  const end = (): void => {
    if (ended) return;
    ended = true;
    buffer = [];
    wake?.();
    source.ended();
  };

  const waitForAppend = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        cancel();
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, source.pollIntervalMs);
      const cancel = source.onNextAppend(done);
      wake = done;
    });

  const readNextPage = (): boolean => {
    let rows: EventRow[];
    try {
      rows = source.readPage(cursor, source.pageSize);
    } catch (error) {
      end();
      throw new StoreUnavailableError('The subscription could not read the event store', {}, { cause: error });
    }
    if (rows.length === 0) return false;
    cursor = rows[rows.length - 1].position;
    for (const row of rows) {
      if (matches(row.stream_id)) buffer.push({ type: 'event', event: toRecordedEvent(row) });
    }
    const reachedHead = !caughtUp && rows.length < source.pageSize;
    if (reachedHead) {
      caughtUp = true;
      buffer.push({ type: 'caughtUp', position: toPosition(cursor) });
    } else if (buffer.length === 0) {
      buffer.push({ type: 'checkpoint', position: toPosition(cursor) });
    }
    return true;
  };

  const pull = async (): Promise<IteratorResult<SubscriptionMessage, undefined>> => {
    for (;;) {
      if (ended) return DONE;
      const message = buffer.shift();
      if (message) return { done: false, value: message };
      if (readNextPage()) continue;
      if (!caughtUp) {
        caughtUp = true;
        return { done: false, value: { type: 'caughtUp', position: cursor > 0n ? toPosition(cursor) : null } };
      }
      await waitForAppend();
    }
  };

  return pulledSubscription(pull, end);
};
