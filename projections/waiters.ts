import { type Position } from '../src/eventstore';

/**
 * Whether a wait is over: true when `target` was reached (null: when everything is live), false
 * when it never will be (a projection failed or stopped), null while it still may be.
 */
export type WaitOutcome = (target: Position | null) => boolean | null;

/** Read-your-writes: callers waiting, bounded, for the projections to reach a position or go live. */
export interface Waiters {
  /** Resolves with the outcome once it is known, or false when `timeoutMs` passes first. */
  wait(target: Position | null, timeoutMs: number): Promise<boolean>;
  /** Answers every waiter whose outcome is now known; call after anything moved. */
  settle(): void;
}

interface Waiter {
  target: Position | null;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

/** The waiters over one runner's projections, judged by `outcome`. */
export const createWaiters = (outcome: WaitOutcome): Waiters => {
  let waiters: Waiter[] = [];
  return {
    wait(target, timeoutMs) {
      const now = outcome(target);
      if (now !== null) return Promise.resolve(now);
      return new Promise((resolve) => {
        const waiter: Waiter = {
          target,
          resolve,
          timer: setTimeout(() => {
            waiters = waiters.filter((other) => other !== waiter);
            resolve(false);
          }, timeoutMs),
        };
        waiter.timer.unref();
        waiters.push(waiter);
      });
    },
    settle() {
      if (waiters.length === 0) return;
      waiters = waiters.filter((waiter) => {
        const result = outcome(waiter.target);
        if (result === null) return true;
        clearTimeout(waiter.timer);
        waiter.resolve(result);
        return false;
      });
    },
  };
};
