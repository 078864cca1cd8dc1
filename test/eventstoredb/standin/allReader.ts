import type { EventFilter } from './eventFilter';
import { compareTFPos, type TFPos, selfCommitted } from './tfPos';
import type { LogRecord, TransactionLog } from './transactionLog';

/** One page of a forward $all read (IndexReadAllResult). */
export interface AllPage {
  readonly records: readonly LogRecord[];
  readonly currentPos: TFPos;
  readonly nextPos: TFPos;
  /** The reader passed the last indexed record. */
  readonly reachedEnd: boolean;
  readonly consideredEventsCount: number;
}

/**
 * AllReader.ReadAllEventsForwardInternal: events whose (p, p) >= `from`, at most `maxCount` allowed ones and at most
 * `maxSearchWindow` considered ones; null when `from` points inside a record (ReadAllResult.InvalidPosition).
 */
export const readAllForward = (
  log: TransactionLog,
  from: TFPos,
  maxCount: number,
  maxSearchWindow: number,
  filter: EventFilter,
): AllPage | null => {
  const records: LogRecord[] = [];
  let nextPos = from;
  let considered = 0;
  let reachedEnd = false;
  let nextCommitPos = from.commit;
  while (records.length < maxCount && considered < maxSearchWindow) {
    if (nextCommitPos > log.lastIndexedPosition()) {
      reachedEnd = true;
      break;
    }
    const index = log.recordIndexAt(nextCommitPos);
    if (index < 0) return null;
    const record = log.records[index];
    nextCommitPos = record.postPosition;
    if (record.event && compareTFPos(selfCommitted(record.logPosition), from) >= 0) {
      considered += 1;
      if (filter(record.event)) records.push(record);
      nextPos = { commit: record.postPosition, prepare: 0n };
    }
  }
  return { records, currentPos: from, nextPos, reachedEnd, consideredEventsCount: considered };
};

/** AllReader.ReadAllEventsBackward: events whose (post, post) <= `from`, newest first, at most `maxCount`. */
export const readAllBackward = (log: TransactionLog, from: TFPos, maxCount: bigint, filter: EventFilter): LogRecord[] => {
  const result: LogRecord[] = [];
  for (let index = log.records.length - 1; index >= 0 && BigInt(result.length) < maxCount; index -= 1) {
    const record = log.records[index];
    if (record.event && filter(record.event) && compareTFPos(selfCommitted(record.postPosition), from) <= 0) result.push(record);
  }
  return result;
};
