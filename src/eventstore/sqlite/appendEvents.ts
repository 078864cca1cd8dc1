import { ConcurrencyError, DuplicateEventIdError } from '../errors';
import { type AppendResult, type EventData, type ExpectedRevision } from '../eventStore';
import { checkEvents, expectationHolds } from '../inputChecks';
import { type EventPlace, type Statements, toPosition } from './eventRows';

/** An event checked and serialized, ready to insert. */
export interface PendingEvent {
  id: string;
  /** The caller gave the id, so the event may be a retry of an earlier append. */
  supplied: boolean;
  type: string;
  data: string;
  metadata: string;
}

/** What the append transaction answers; `written` is false for an empty append or a retry. */
export interface AppendOutcome {
  result: AppendResult;
  written: boolean;
}

/** Checks and serializes the events of one append, giving each an id; ids repeated within it are refused. */
export const toPendingEvents = (streamId: string, events: EventData[], newId: () => string): PendingEvent[] =>
  checkEvents(streamId, events, newId).map((event) => ({
    ...event,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata),
  }));

/** The revision the stream was at before an earlier append that started at `firstRevision`. */
const revisionBefore = (firstRevision: bigint): bigint | undefined =>
  firstRevision === 0n ? undefined : firstRevision - 1n;

/**
 * When some ids are already recorded, the append must be an exact retry: the same ids, in the
 * same order, recorded in this stream under the same expectation. Then it answers the original
 * result; anything else reuses an id and is refused.
 */
const replayOfEarlierAppend = (
  statements: Statements,
  streamId: string,
  pending: PendingEvent[],
  expected: ExpectedRevision,
): AppendResult | undefined => {
  const places = pending.map((event) => (event.supplied ? statements.findEvent.get(event.id) : undefined));
  const reused = pending.find((_, index) => places[index] !== undefined);
  if (reused === undefined) return undefined;
  const first = places[0];
  const isRetry =
    first !== undefined &&
    expectationHolds(expected, revisionBefore(first.revision)) &&
    places.every(
      (place: EventPlace | undefined, index) =>
        place !== undefined && place.stream_id === streamId && place.revision === first.revision + BigInt(index),
    );
  if (!isRetry) throw new DuplicateEventIdError(streamId, reused.id);
  const last = places[places.length - 1]!;
  return { nextExpectedRevision: last.revision, position: toPosition(last.position) };
};

/**
 * Appends to one stream; run it inside a write transaction. Checks the expectation as
 * EventStoreDB does (also for an empty append, which writes nothing and answers the stream's
 * current revision, -1 when it does not exist, and its last position, 0 when none).
 */
export const appendEvents = (
  statements: Statements,
  streamId: string,
  pending: PendingEvent[],
  expected: ExpectedRevision,
  created: bigint,
): AppendOutcome => {
  const replayed = replayOfEarlierAppend(statements, streamId, pending, expected);
  if (replayed) return { result: replayed, written: false };
  const current = statements.lastOfStream.get(streamId);
  if (!expectationHolds(expected, current?.revision)) {
    throw new ConcurrencyError(streamId, expected, current?.revision ?? 'no_stream');
  }
  if (pending.length === 0) {
    return {
      result: { nextExpectedRevision: current?.revision ?? -1n, position: toPosition(current?.position ?? 0n) },
      written: false,
    };
  }
  let revision = current === undefined ? 0n : current.revision + 1n;
  let position = 0n;
  for (const event of pending) {
    const { lastInsertRowid } = statements.insert.run(
      event.id,
      streamId,
      revision,
      event.type,
      event.data,
      event.metadata,
      created,
    );
    position = BigInt(lastInsertRowid);
    revision += 1n;
  }
  return { result: { nextExpectedRevision: revision - 1n, position: toPosition(position) }, written: true };
};
