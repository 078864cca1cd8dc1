/** What a subscription receives while it is registered: unbounded, so it never falls behind (see standinServer.ts). */
export interface LiveQueue<T> {
  push(item: T): void;
  /** The next item, waiting for one; rejects when `signal` aborts. */
  next(signal: AbortSignal): Promise<T>;
}

/** Creates an empty queue. */
export const createLiveQueue = <T>(): LiveQueue<T> => {
  const items: T[] = [];
  let wake: (() => void) | null = null;
  return {
    push: (item) => {
      items.push(item);
      wake?.();
    },
    next: async (signal) => {
      while (items.length === 0) {
        signal.throwIfAborted();
        await new Promise<void>((resolve, reject) => {
          const onAbort = (): void => reject(signal.reason as Error);
          wake = () => {
            wake = null;
            signal.removeEventListener('abort', onAbort);
            resolve();
          };
          signal.addEventListener('abort', onAbort, { once: true });
        });
      }
      return items.shift()!;
    },
  };
};
