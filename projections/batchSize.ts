/** Fewest events a batch may be bounded to. */
export const MIN_BATCH_SIZE = 1;
/** Most events a batch may be bounded to: a batch is one transaction per projection, held in memory. */
export const MAX_BATCH_SIZE = 10_000;
/** Most events applied in one transaction when nothing else is configured. */
export const DEFAULT_BATCH_SIZE = 500;

/** The batch size to use: `DEFAULT_BATCH_SIZE` when not given; a RangeError unless a whole number from 1 to 10000. */
export const checkBatchSize = (value: number | undefined): number => {
  if (value === undefined) return DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(value) || value < MIN_BATCH_SIZE || value > MAX_BATCH_SIZE) {
    throw new RangeError(`The projection batch size must be a whole number from ${MIN_BATCH_SIZE} to ${MAX_BATCH_SIZE}, not ${String(value)}`);
  }
  return value;
};
