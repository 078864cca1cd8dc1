/** Values published while a subscriber has not taken them; past this it is ended with an error. */
export const DEFAULT_MAX_BUFFERED = 1000;

/** An in-process topic: what is published reaches every subscriber that accepts it, in order. */
export interface Topic<T> {
  /** Hands `value` to every subscriber that accepts it; synchronous, never blocks on a slow one. */
  publish(value: T): void;
  /**
   * Subscribes from now on (synchronously, so nothing published after this call is missed).
   * The iterator's `return()` ends it at once, even while a `next()` is waiting.
   */
  subscribe(accepts: (value: T) => boolean): AsyncIterableIterator<T>;
  /** How many subscribers there are: publishers skip work no one would receive. */
  readonly size: number;
  /** Ends every subscription (each iterator finishes after what it still holds). */
  close(): void;
}

interface Subscriber<T> {
  accepts: (value: T) => boolean;
  queue: T[];
  waiting: ((result: IteratorResult<T>) => void) | null;
  failWaiting: ((error: unknown) => void) | null;
  ended: boolean;
  failure: Error | null;
}

const done = <T>(): IteratorResult<T> => ({ done: true, value: undefined });

/** Ends a subscription: its waiting `next()` gets the failure, or the end. */
const end = <T>(subscribers: Set<Subscriber<T>>, subscriber: Subscriber<T>, failure: Error | null): void => {
  subscribers.delete(subscriber);
  subscriber.ended = true;
  subscriber.failure ??= failure;
  if (subscriber.waiting === null) return;
  const [resolve, reject] = [subscriber.waiting, subscriber.failWaiting!];
  subscriber.waiting = subscriber.failWaiting = null;
  if (subscriber.failure) reject(subscriber.failure);
  else resolve(done());
};

/** The subscriber's side: what it holds first, then its failure or end, else a wait for the next value. */
const iteratorOf = <T>(subscribers: Set<Subscriber<T>>, subscriber: Subscriber<T>): AsyncIterableIterator<T> => ({
  next() {
    if (subscriber.queue.length > 0) return Promise.resolve({ done: false, value: subscriber.queue.shift()! });
    if (subscriber.failure) {
      const failure = subscriber.failure;
      subscriber.failure = null;
      return Promise.reject(failure);
    }
    if (subscriber.ended) return Promise.resolve(done());
    return new Promise((resolve, reject) => {
      subscriber.waiting = resolve;
      subscriber.failWaiting = reject;
    });
  },
  return() {
    subscriber.queue = [];
    subscriber.failure = null;
    end(subscribers, subscriber, null);
    return Promise.resolve(done());
  },
  [Symbol.asyncIterator]() {
    return this;
  },
});

/** A topic whose subscribers may each fall `maxBuffered` values behind before they are ended with `overflow()`. */
export const createTopic = <T>(overflow: () => Error, maxBuffered = DEFAULT_MAX_BUFFERED): Topic<T> => {
  const subscribers = new Set<Subscriber<T>>();
  const deliver = (subscriber: Subscriber<T>, value: T) => {
    if (subscriber.waiting) {
      const resolve = subscriber.waiting;
      subscriber.waiting = subscriber.failWaiting = null;
      resolve({ done: false, value });
    } else if (subscriber.queue.length >= maxBuffered) {
      subscriber.queue = [];
      end(subscribers, subscriber, overflow());
    } else {
      subscriber.queue.push(value);
    }
  };
  return {
    publish(value) {
      for (const subscriber of [...subscribers]) {
        if (subscriber.accepts(value)) deliver(subscriber, value);
      }
    },
    subscribe(accepts) {
      const subscriber: Subscriber<T> = { accepts, queue: [], waiting: null, failWaiting: null, ended: false, failure: null };
      subscribers.add(subscriber);
      return iteratorOf(subscribers, subscriber);
    },
    get size() {
      return subscribers.size;
    },
    close() {
      for (const subscriber of [...subscribers]) end(subscribers, subscriber, null);
    },
  };
};
