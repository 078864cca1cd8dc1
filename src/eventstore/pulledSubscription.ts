import { type Subscription, type SubscriptionMessage } from './eventStore';

/** What `pull` answers once the subscription has ended. */
export const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** A subscription plus the way its store ends it. */
export interface EndableSubscription extends Subscription {
  end(): void;
}

/**
 * The iteration every adapter's subscription shares: `next()` calls run `pull` one at a time, in
 * order, even when a caller does not wait for the previous one; `return` (a loop's break) and
 * `unsubscribe` call `end`, after which `pull` must answer `DONE`.
 */
export const pulledSubscription = (
  pull: () => Promise<IteratorResult<SubscriptionMessage, undefined>>,
  end: () => void,
): EndableSubscription => {
  let queue: Promise<unknown> = Promise.resolve();
  const iterator: AsyncIterator<SubscriptionMessage, undefined> = {
    next: () => {
      const next = queue.then(pull);
      queue = next.catch(() => undefined);
      return next;
    },
    return: () => {
      end();
      return Promise.resolve(DONE);
    },
  };
  return {
    [Symbol.asyncIterator]: () => iterator,
    unsubscribe: () => {
      end();
      return Promise.resolve();
    },
    end,
  };
};
