/**
 * Backoff for resubscribing: doubling from 250 ms up to 10 s, each delay drawn between half and
 * all of it, so many instances that lost one store do not return in step.
 */
export const reconnectDelayMs = (attempt: number, random: () => number = Math.random): number => {
  const ceiling = Math.min(10_000, 250 * 2 ** Math.min(attempt - 1, 16));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
};
