import { type AllStreamResolvedEvent, type AllStreamSubscription, type Position as ClientPosition } from '@eventstore/db-client';
import { StoreUnavailableError } from '../errors';
import { type RecordedEvent, type SubscriptionMessage } from '../eventStore';
import { type Position, comparePositions } from '../position';
import { DONE, type EndableSubscription, pulledSubscription } from '../pulledSubscription';
import { toRecordedEvent } from './recordedEvents';
import { translateError } from './translateError';

/** What the subscription needs from its store. */
export interface SubscriptionWiring {
  /** Opens the client's subscription; `onCheckpoint` is the filter's checkpoint callback. */
  open(onCheckpoint: (position: ClientPosition) => void): AllStreamSubscription;
  /** Told once, when the subscription ends. */
  ended(): void;
  /** Above this many undelivered messages the client stream is paused. */
  highWaterMark: number;
}

/** A subscription plus the way its store ends it. */
export type EventStoreDBSubscription = EndableSubscription;

/** The server's log positions are signed 64-bit numbers; anything above is a marker, not a place. */
const MAX_LOG_POSITION = (1n << 63n) - 1n;

/**
 * Adapts the client's catch-up subscription to the port's ordered messages.
 *
 * The client is a Transform stream: it announces `caughtUp` and checkpoints when the server's
 * message passes through it, while events before that message may still sit in its readable
 * buffer. Each announcement is therefore held back until as many events as were pushed before
 * it have been delivered, so `caughtUp` and checkpoints arrive exactly where the server put them.
 * `caughtUp` is given once; when the server says the subscription fell behind and caught up
 * again, only the events show it. If the server ends the subscription or the connection drops,
 * the iteration throws `StoreUnavailableError` after the messages already received; the caller
 * resubscribes from its checkpoint.
 */
export const startEventStoreDBSubscription = (wiring: SubscriptionWiring): EventStoreDBSubscription => {
  const flow = new OrderedFlow(wiring);
  return pulledSubscription(
    () => flow.pull(),
    () => flow.end(),
  );
};

/** The state of one subscription: messages ready to give, announcements held back, and how it ended. */
class OrderedFlow {
  private readonly ready: SubscriptionMessage[] = [];
  private readonly held: { due: number; message: SubscriptionMessage }[] = [];
  private eventsReceived = 0;
  private caughtUpSent = false;
  private lastSeen: Position | null = null;
  private failure: Error | null = null;
  private ended = false;
  private wake: (() => void) | undefined;
  private readonly client: AllStreamSubscription;

  constructor(private readonly wiring: SubscriptionWiring) {
    this.client = wiring.open((position) => {
      // EventStoreDB 24.x may mark going live with a checkpoint at (2^64-1, 2^64-1), which is no
      // position at all; and a checkpoint that does not move forward says nothing new.
      if (position.commit > MAX_LOG_POSITION || position.prepare > MAX_LOG_POSITION) return;
      this.announce({ type: 'checkpoint', position });
    });
    this.client.on('data', (resolved: AllStreamResolvedEvent) => this.received(resolved));
    this.client.on('caughtUp', () => {
      if (this.caughtUpSent) return;
      this.caughtUpSent = true;
      this.announce({ type: 'caughtUp', position: null });
    });
    this.client.on('error', (error: Error) => this.fail(translateError(error, 'subscribe')));
    this.client.on('end', () =>
      this.fail(new StoreUnavailableError('The event store (EventStoreDB) ended the subscription to $all', { store: 'eventstoredb' })),
    );
  }

  private notify(): void {
    const waiting = this.wake;
    this.wake = undefined;
    waiting?.();
  }

  private received(resolved: AllStreamResolvedEvent): void {
    if (this.ended || this.failure) return;
    this.eventsReceived += 1;
    let event: RecordedEvent;
    try {
      event = toRecordedEvent(resolved);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    this.deliver({ type: 'event', event });
    this.releaseHeld();
  }

  private deliver(message: SubscriptionMessage): void {
    this.ready.push(message);
    if (message.type === 'event') this.lastSeen = message.event.position;
    else if (message.type === 'checkpoint') this.lastSeen = message.position;
    if (this.ready.length >= this.wiring.highWaterMark) this.client.pause();
    this.notify();
  }

  private releaseHeld(): void {
    // After a failure nothing more is given: a later checkpoint would step over what failed.
    while (!this.failure && this.held.length > 0 && this.held[0].due <= this.eventsReceived) {
      const { message } = this.held.shift()!;
      if (message.type === 'caughtUp') this.deliver({ type: 'caughtUp', position: this.lastSeen });
      else if (message.type !== 'checkpoint' || this.lastSeen === null || comparePositions(message.position, this.lastSeen) > 0) {
        this.deliver(message);
      }
    }
  }

  /** Places an announcement after every event the client has pushed so far. */
  private announce(message: SubscriptionMessage): void {
    if (this.ended || this.failure) return;
    this.held.push({ due: this.eventsReceived + this.client.readableLength, message });
    this.releaseHeld();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.ready.length = 0;
    this.held.length = 0;
    void this.client.unsubscribe().catch(() => undefined);
    this.notify();
    this.wiring.ended();
  }

  /** Ends the flow at this point: what was queued before is delivered, then the error is thrown. */
  private fail(error: Error): void {
    if (this.ended || this.failure) return;
    this.failure = error;
    this.client.pause();
    this.notify();
  }

  async pull(): Promise<IteratorResult<SubscriptionMessage, undefined>> {
    for (;;) {
      if (this.ended) return DONE;
      const message = this.ready.shift();
      if (message) {
        if (!this.failure && this.ready.length < this.wiring.highWaterMark / 2 && this.client.isPaused()) this.client.resume();
        return { done: false, value: message };
      }
      if (this.failure) {
        const error = this.failure;
        this.end();
        throw error;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }
}
