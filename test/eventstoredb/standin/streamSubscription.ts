import { randomUUID } from 'node:crypto';
import type { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { createLiveQueue } from './liveQueue';
import { caughtUpResponse, confirmationResponse, eventResponse } from './readResponses';
import type { StreamingCall } from './streamingCall';
import type { LogRecord, TransactionLog } from './transactionLog';

/**
 * Enumerator.StreamSubscription: registers for the stream's live events, confirms, catches up after the exclusive
 * start revision, sends caught_up, then live events. Runs until the call is over.
 */
export const runStreamSubscription = async (
  log: TransactionLog,
  streamId: string,
  from: 'start' | 'end' | bigint,
  uuidAsString: boolean,
  call: StreamingCall<ReadResp>,
): Promise<void> => {
  const live = createLiveQueue<LogRecord>();
  const unsubscribe = log.onEventCommitted((record) => {
    if (record.event!.streamId === streamId) live.push(record);
  });
  try {
    const lastEventNumber = log.lastEventNumber(streamId);
    await call.send(confirmationResponse(randomUUID()));
    let checkpoint = from === 'start' ? -1n : from === 'end' ? lastEventNumber : from;
    if (checkpoint < lastEventNumber) {
      const events = log.streamEvents(streamId);
      for (let revision = checkpoint + 1n; revision < BigInt(events.length); revision += 1n) {
        await call.send(eventResponse(events[Number(revision)], uuidAsString));
        checkpoint = revision;
      }
    }
    await call.send(caughtUpResponse());
    for (;;) {
      const record = await live.next(call.signal);
      if (record.event!.revision <= checkpoint) continue;
      await call.send(eventResponse(record, uuidAsString));
      checkpoint = record.event!.revision;
    }
  } finally {
    unsubscribe();
  }
};
