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
  const reader = new PagedReader(after, matches, source);
  return pulledSubscription(
    () => reader.pull(),
    () => reader.end(),
  );
};

/** Where one subscription stands: the last position read, what is buffered, whether it caught up or ended. */
class PagedReader {
  private caughtUp = false;
  private ended = false;
  private buffer: SubscriptionMessage[] = [];
  private wake: (() => void) | undefined;

  constructor(
    private cursor: bigint,
    private readonly matches: (streamId: string) => boolean,
    private readonly source: SubscriptionSource,
  ) {}

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.buffer = [];
    this.wake?.();
    this.source.ended();
  }

  private waitForAppend(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        cancel();
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.source.pollIntervalMs);
      const cancel = this.source.onNextAppend(done);
      this.wake = done;
    });
  }

  /** Buffers the next page; false when there was nothing after the cursor. */
  private readNextPage(): boolean {
    let rows: EventRow[];
    try {
      rows = this.source.readPage(this.cursor, this.source.pageSize);
    } catch (error) {
      this.end();
      throw new StoreUnavailableError('The subscription could not read the event store', {}, { cause: error });
    }
    if (rows.length === 0) return false;
    this.cursor = rows[rows.length - 1].position;
    for (const row of rows) {
      if (this.matches(row.stream_id)) this.buffer.push({ type: 'event', event: toRecordedEvent(row) });
    }
    const reachedHead = !this.caughtUp && rows.length < this.source.pageSize;
    if (reachedHead) {
      this.caughtUp = true;
      this.buffer.push({ type: 'caughtUp', position: toPosition(this.cursor) });
    } else if (this.buffer.length === 0) {
      this.buffer.push({ type: 'checkpoint', position: toPosition(this.cursor) });
    }
    return true;
  }

  async pull(): Promise<IteratorResult<SubscriptionMessage, undefined>> {
    for (;;) {
      if (this.ended) return DONE;
      const message = this.buffer.shift();
      if (message) return { done: false, value: message };
      if (this.readNextPage()) continue;
      if (!this.caughtUp) {
        this.caughtUp = true;
        return { done: false, value: { type: 'caughtUp', position: this.cursor > 0n ? toPosition(this.cursor) : null } };
      }
      await this.waitForAppend();
    }
  }
}
