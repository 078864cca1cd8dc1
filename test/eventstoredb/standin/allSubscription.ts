import { randomUUID } from 'node:crypto';
import type { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { readAllForward } from './allReader';
import { defaultAllFilter, type EventFilter } from './eventFilter';
import { createLiveQueue } from './liveQueue';
import { caughtUpResponse, checkpointResponse, confirmationResponse, eventResponse } from './readResponses';
import { invalidPosition } from './rpcExceptions';
import type { StreamingCall } from './streamingCall';
import { compareTFPos, headOfTf, selfCommitted, type TFPos } from './tfPos';
import type { LogRecord, TransactionLog } from './transactionLog';

/** A $all subscription request, already taken out of ReadReq. */
export interface AllSubscriptionOptions {
  readonly from: 'start' | 'end' | TFPos;
  readonly filter: { readonly allowed: EventFilter; readonly maxSearchWindow: number; readonly checkpointInterval: number } | null;
  readonly uuidAsString: boolean;
  /** KurrentDB 25.0 (KDB-710) no longer sends (2^64-1, 2^64-1) as the going-live checkpoint; 24.x does. */
  readonly kdb710Fixed: boolean;
}

type LiveItem = { readonly record: LogRecord } | { readonly checkpoint: TFPos };

const readBatchSize = 32;
const unsigned = (value: bigint): bigint => BigInt.asUintN(64, value);

/**
 * Enumerator.AllSubscription / AllSubscriptionFiltered: registers for live events, confirms, catches up from the
 * exclusive start position (checkpoints every `maxSearchWindow * multiplier` considered events, and one when the
 * catch-up reaches the end), sends caught_up, then live events and live checkpoints. Runs until the call is over.
 */
export const runAllSubscription = async (
  log: TransactionLog,
  options: AllSubscriptionOptions,
  call: StreamingCall<ReadResp>,
): Promise<void> => {
  const { filter, uuidAsString, kdb710Fixed } = options;
  const live = createLiveQueue<LiveItem>();
  let liveCount = 0;
  // SubscriptionsService.ProcessEventCommited: every committed event counts towards the checkpoint interval.
  const unsubscribe = log.onEventCommitted((record) => {
    if ((filter?.allowed ?? defaultAllFilter)(record.event!)) live.push({ record });
    if (!filter || ++liveCount < filter.checkpointInterval) return;
    liveCount = 0;
    live.push({ checkpoint: selfCommitted(record.logPosition) });
  });
  let lastCheckpointSent: TFPos | null = null;
  const sendEvent = (record: LogRecord): Promise<void> => call.send(eventResponse(record, uuidAsString));
  // MoveNextAsync drops a checkpoint that is not after the previous one, comparing as unsigned Positions.
  const sendCheckpoint = async (position: TFPos): Promise<void> => {
    const wire = { commit: unsigned(position.commit), prepare: unsigned(position.prepare) };
    if (lastCheckpointSent && compareTFPos(wire, lastCheckpointSent) <= 0) return;
    lastCheckpointSent = wire;
    await call.send(checkpointResponse(position));
  };

  const catchUp = async (start: TFPos): Promise<TFPos> => {
    let checkpoint = start;
    let considered = 0;
    let readFrom = start;
    for (;;) {
      const from = readFrom.commit < 0n && readFrom.prepare < 0n ? { commit: 0n, prepare: 0n } : readFrom;
      const page = filter
        ? readAllForward(log, from, readBatchSize, filter.maxSearchWindow, filter.allowed)
        : readAllForward(log, from, readBatchSize, Number.POSITIVE_INFINITY, defaultAllFilter);
      if (!page) throw invalidPosition();
      for (const record of page.records) {
        const position = selfCommitted(record.logPosition);
        if (compareTFPos(position, checkpoint) <= 0) continue;
        await sendEvent(record);
        checkpoint = position;
      }
      if (!filter) {
        if (page.records.length < readBatchSize) return checkpoint;
      } else {
        considered += page.consideredEventsCount;
        if (page.reachedEnd) {
          if (kdb710Fixed && compareTFPos(checkpoint, page.currentPos) < 0) checkpoint = page.currentPos;
          if (!kdb710Fixed || compareTFPos(checkpoint, headOfTf) !== 0) await sendCheckpoint(checkpoint);
          return checkpoint;
        }
        if (considered >= filter.checkpointInterval) {
          considered %= filter.checkpointInterval;
          if (compareTFPos(checkpoint, page.currentPos) < 0) checkpoint = page.currentPos;
          await sendCheckpoint(checkpoint);
        }
      }
      readFrom = page.nextPos;
    }
  };

  const goLive = async (start: TFPos): Promise<never> => {
    let checkpoint = start;
    await call.send(caughtUpResponse());
    for (;;) {
      const item = await live.next(call.signal);
      if ('record' in item) {
        const position = selfCommitted(item.record.logPosition);
        if (compareTFPos(position, checkpoint) <= 0) continue;
        await sendEvent(item.record);
        checkpoint = position;
      } else if (compareTFPos(item.checkpoint, checkpoint) >= 0) {
        await sendCheckpoint(item.checkpoint);
        checkpoint = item.checkpoint;
      }
    }
  };

  try {
    const lastIndexed = log.lastIndexedPosition();
    const confirmationLastPos: TFPos = { commit: lastIndexed, prepare: lastIndexed };
    await call.send(confirmationResponse(randomUUID()));
    let checkpoint = options.from === 'start' ? headOfTf : options.from === 'end' ? confirmationLastPos : options.from;
    if (compareTFPos(checkpoint, confirmationLastPos) < 0) checkpoint = await catchUp(checkpoint);
    await goLive(checkpoint);
  } finally {
    unsubscribe();
  }
};
