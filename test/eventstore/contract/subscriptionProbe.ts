import { type RecordedEvent, type Subscription, type SubscriptionMessage } from '../../../src/eventstore';

/** Pulls a subscription one message at a time with a deadline, keeping a log of everything seen. */
export interface SubscriptionProbe {
  /** Every message pulled so far, checkpoints included. */
  readonly log: SubscriptionMessage[];
  /** The next message, or `done` when the iteration ended. */
  next(timeoutMs?: number): Promise<SubscriptionMessage | 'done'>;
  /** Pulls until `count` events arrived; fails when the iteration ends first. */
  events(count: number, timeoutMs?: number): Promise<RecordedEvent[]>;
  /** Pulls until `caughtUp`; answers the events seen before it. */
  untilCaughtUp(timeoutMs?: number): Promise<RecordedEvent[]>;
  unsubscribe(): Promise<void>;
}

/** Wraps a subscription so a test can pull it step by step. */
export const probe = (subscription: Subscription): SubscriptionProbe => {
  const iterator = subscription[Symbol.asyncIterator]();
  const log: SubscriptionMessage[] = [];

  const next = async (timeoutMs = 5000): Promise<SubscriptionMessage | 'done'> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no subscription message within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const result = await Promise.race([iterator.next(), timeout]);
      if (result.done) return 'done';
      log.push(result.value);
      return result.value;
    } finally {
      clearTimeout(timer);
    }
  };

  const pullUntil = async (
    enough: (events: RecordedEvent[], message: SubscriptionMessage) => boolean,
    timeoutMs: number,
  ): Promise<RecordedEvent[]> => {
    const deadline = Date.now() + timeoutMs;
    const events: RecordedEvent[] = [];
    for (;;) {
      const message = await next(Math.max(1, deadline - Date.now()));
      if (message === 'done') throw new Error(`subscription ended after ${events.length} events`);
      if (message.type === 'event') events.push(message.event);
      if (enough(events, message)) return events;
    }
  };

  return {
    log,
    next,
    events: (count, timeoutMs = 5000) =>
      count === 0 ? Promise.resolve([]) : pullUntil((events) => events.length >= count, timeoutMs),
    untilCaughtUp: (timeoutMs = 5000) => pullUntil((_, message) => message.type === 'caughtUp', timeoutMs),
    unsubscribe: () => subscription.unsubscribe(),
  };
};
