import { CLIENT_STREAM_PREFIX, readClientEvent } from '../src/domain/client';
import {
  type EventStore,
  type Position,
  type RecordedEvent,
  StoreUnavailableError,
  type Subscription,
  type SubscriptionMessage,
} from '../src/eventstore';
import { type ProjectedEvent } from './projection';

/** An event of a client stream as every projection receives it: read (upcast) once, or the reason it cannot be read. */
export type SourcedEvent =
  | { recorded: RecordedEvent; projected: ProjectedEvent; unreadable: null }
  | { recorded: RecordedEvent; projected: null; unreadable: unknown };

/** Why the subscription dropped, how often it was retried, and how long until the next attempt. */
export interface SourceOutage {
  error: StoreUnavailableError;
  attempts: number;
  delayMs: number;
}

/** What the source tells its runner, in the order it happens. */
export interface SourceListener {
  /** A subscription started (or restarted) from `from()`: catching up. */
  subscribed(): void;
  /** Events in global order, at most `batchSize` of them. */
  events(batch: readonly SourcedEvent[]): void;
  /** Everything up to `position` has been seen, events of other streams included; sent after the events before it. */
  reached(position: Position): void;
  /** Everything committed when the subscription started has been delivered; live events follow. */
  caughtUp(): void;
  /** The store went away: the source resubscribes after `outage.delayMs`. */
  unavailable(outage: SourceOutage): void;
  /** The subscription failed for another reason: the source has given up. */
  broken(error: unknown): void;
}

/** What an event source follows, how, and whom it tells. */
export interface EventSourceOptions {
  store: EventStore;
  batchSize: number;
  /** Delay before the `attempt`th resubscription (1-based) after the store became unavailable. */
  retryDelayMs: (attempt: number) => number;
  /** Where each subscription starts: the lowest checkpoint of the projections it feeds, null for the start. */
  from: () => Position | null;
  listener: SourceListener;
}

const read = (recorded: RecordedEvent): SourcedEvent => {
  try {
    return { recorded, projected: { ...readClientEvent(recorded), recorded }, unreadable: null };
  } catch (error) {
    return { recorded, projected: null, unreadable: error };
  }
};

/**
 * The one subscription to the store's client streams that feeds every projection. It follows
 * the store from the projections' lowest checkpoint, reads each event once, and hands the events
 * over in batches: when `batchSize` are buffered, before any position message, and once the
 * subscription pauses. While the store is unavailable it resubscribes after a backoff.
 */
export class EventSource {
  private state: 'idle' | 'running' | 'stopping' | 'ended' = 'idle';
  private subscription: Subscription | null = null;
  private consuming: Promise<void> = Promise.resolve();
  private buffer: SourcedEvent[] = [];
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempts = 0;

  constructor(private readonly options: EventSourceOptions) {}

  /** Subscribes from `from()`. */
  start(): void {
    this.state = 'running';
    this.attempts = 0;
    this.subscribe();
  }

  /** Gives up without waiting, dropping what is buffered: nothing is left to feed. */
  end(): void {
    this.state = 'ended';
    this.buffer = [];
    this.clearRetry();
    void this.subscription?.unsubscribe();
  }

  /** Stops following the store, then hands over what was buffered. */
  async stop(): Promise<void> {
    if (this.state === 'running') this.state = 'stopping';
    this.clearRetry();
    await this.subscription?.unsubscribe();
    await this.consuming;
    this.flush();
    if (this.state === 'stopping') this.state = 'idle';
  }

  private subscribe(): void {
    this.options.listener.subscribed();
    const from = this.options.from();
    this.subscription = this.options.store.subscribeToAll({
      fromPosition: from ?? 'start',
      filter: { streamNamePrefixes: [CLIENT_STREAM_PREFIX] },
    });
    this.consuming = this.consume(this.subscription);
  }

  private async consume(subscription: Subscription): Promise<void> {
    try {
      for await (const message of subscription) {
        // A subscription left for a retry (the read model had no room) reads on until it ends: ignore it.
        if (this.state === 'ended' || subscription !== this.subscription) break;
        this.onMessage(message);
      }
      if (subscription === this.subscription) this.flush();
    } catch (error) {
      if (this.state !== 'running' || subscription !== this.subscription) return;
      if (error instanceof StoreUnavailableError) this.retryLater(error);
      else this.giveUp(error);
    }
  }

  private onMessage(message: SubscriptionMessage): void {
    if (message.type === 'event') {
      this.buffer.push(read(message.event));
      if (this.buffer.length >= this.options.batchSize) this.flush();
      else this.scheduleFlush();
      return;
    }
    // The events before a position are applied first, so a failed batch is never stepped over.
    this.flush();
    if (this.isPaused()) return;
    if (message.position !== null && !this.told(() => this.options.listener.reached(message.position!))) return;
    if (message.type === 'caughtUp') {
      this.attempts = 0;
      this.options.listener.caughtUp();
    }
  }

  /** Read through a method so the compiler does not assume `flush()` left the state unchanged: ended, or waiting to resubscribe. */
  private isPaused(): boolean {
    return this.state === 'ended' || this.retryTimer !== null;
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.told(() => this.options.listener.events(batch));
  }

  /**
   * Tells the listener something; when the read model has no room for it (StoreUnavailableError),
   * leaves this subscription and resubscribes from the checkpoint after a backoff. False then.
   */
  private told(tell: () => void): boolean {
    try {
      tell();
      return true;
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      // What was not applied is read again from the checkpoint: by the retry, or by the next start.
      this.buffer = [];
      const left = this.subscription;
      this.subscription = null;
      void left?.unsubscribe();
      if (this.state === 'running') this.retryLater(error);
      return false;
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** The store went away: keep what was applied and resubscribe from the checkpoint after a backoff. */
  private retryLater(error: StoreUnavailableError): void {
    if (this.retryTimer !== null) return;
    this.flush();
    if (this.state !== 'running' || this.retryTimer !== null) return;
    this.attempts += 1;
    const delayMs = this.options.retryDelayMs(this.attempts);
    this.options.listener.unavailable({ error, attempts: this.attempts, delayMs });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.state !== 'running') return;
      try {
        this.subscribe();
      } catch (failure) {
        if (failure instanceof StoreUnavailableError) this.retryLater(failure);
        else this.giveUp(failure);
      }
    }, delayMs);
  }

  private giveUp(error: unknown): void {
    this.state = 'ended';
    this.buffer = [];
    this.options.listener.broken(error);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
