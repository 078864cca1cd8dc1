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
  const ready: SubscriptionMessage[] = [];
  const held: { due: number; message: SubscriptionMessage }[] = [];
  let eventsReceived = 0;
  let caughtUpSent = false;
  let lastSeen: Position | null = null;
  let failure: Error | null = null;
  let ended = false;
  let wake: (() => void) | undefined;

  const notify = (): void => {
    const waiting = wake;
    wake = undefined;
    waiting?.();
  };

  const deliver = (message: SubscriptionMessage): void => {
    ready.push(message);
    if (message.type === 'event') lastSeen = message.event.position;
    else if (message.type === 'checkpoint') lastSeen = message.position;
    if (ready.length >= wiring.highWaterMark) client.pause();
    notify();
  };

  const releaseHeld = (): void => {
    // After a failure nothing more is given: a later checkpoint would step over what failed.
    while (!failure && held.length > 0 && held[0].due <= eventsReceived) {
      const { message } = held.shift()!;
      if (message.type === 'caughtUp') deliver({ type: 'caughtUp', position: lastSeen });
      else if (message.type !== 'checkpoint' || lastSeen === null || comparePositions(message.position, lastSeen) > 0) deliver(message);
    }
  };

  /** Places an announcement after every event the client has pushed so far. */
  const announce = (message: SubscriptionMessage): void => {
    if (ended || failure) return;
    held.push({ due: eventsReceived + client.readableLength, message });
    releaseHeld();
  };

  const end = (): void => {
    if (ended) return;
    ended = true;
    ready.length = 0;
    held.length = 0;
    void client.unsubscribe().catch(() => undefined);
    notify();
    wiring.ended();
  };

  /** Ends the flow at this point: what was queued before is delivered, then the error is thrown. */
  const fail = (error: Error): void => {
    if (ended || failure) return;
    failure = error;
    client.pause();
    notify();
  };

  const client = wiring.open((position) => {
    // EventStoreDB 24.x may mark going live with a checkpoint at (2^64-1, 2^64-1), which is no
    // position at all; and a checkpoint that does not move forward says nothing new.
    if (position.commit > MAX_LOG_POSITION || position.prepare > MAX_LOG_POSITION) return;
    announce({ type: 'checkpoint', position });
  });
  client.on('data', (resolved: AllStreamResolvedEvent) => {
    if (ended || failure) return;
    eventsReceived += 1;
    let event: RecordedEvent;
    try {
      event = toRecordedEvent(resolved);
    } catch (error) {
      fail(error as Error);
      return;
    }
    deliver({ type: 'event', event });
    releaseHeld();
  });
  client.on('caughtUp', () => {
    if (caughtUpSent) return;
    caughtUpSent = true;
    announce({ type: 'caughtUp', position: null });
  });
  client.on('error', (error: Error) => fail(translateError(error, 'subscribe')));
  client.on('end', () =>
    fail(new StoreUnavailableError('The event store (EventStoreDB) ended the subscription to $all', { store: 'eventstoredb' })),
  );

  const pull = async (): Promise<IteratorResult<SubscriptionMessage, undefined>> => {
    for (;;) {
      if (ended) return DONE;
      const message = ready.shift();
      if (message) {
        if (!failure && ready.length < wiring.highWaterMark / 2 && client.isPaused()) client.resume();
        return { done: false, value: message };
      }
      if (failure) {
        const error = failure;
        end();
        throw error;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };

  return pulledSubscription(pull, end);
};
