import { ConcurrencyError, DuplicateEventIdError } from '../errors';
import { type AppendResult, type EventData, type ExpectedRevision } from '../eventStore';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isJsonObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks a stream name before it reaches the database. */
export const assertStreamId = (streamId: unknown): void => {
  if (typeof streamId !== 'string' || streamId === '') throw new TypeError('streamId must be a non-empty string');
};

/** Checks an expected revision: one of the three words or a revision of zero or more. */
export const assertExpectedRevision = (expected: unknown): void => {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (typeof expected !== 'bigint') {
    throw new TypeError("expectedRevision must be 'any', 'no_stream', 'stream_exists' or a bigint");
  }
  if (expected < 0n) throw new RangeError('expectedRevision must not be negative');
};

/** Checks and serializes the events of one append, giving each an id; ids repeated within it are refused. */
export const toPendingEvents = (streamId: string, events: EventData[], newId: () => string): PendingEvent[] => {
  if (!Array.isArray(events)) throw new TypeError('events must be an array');
  const ids = new Set<string>();
  return events.map((event, index) => {
    if (typeof event?.type !== 'string' || event.type === '') {
      throw new TypeError(`events[${index}].type must be a non-empty string`);
    }
    if (!isJsonObject(event.data)) throw new TypeError(`events[${index}].data must be a JSON object`);
    if (event.metadata !== undefined && !isJsonObject(event.metadata)) {
      throw new TypeError(`events[${index}].metadata must be a JSON object`);
    }
    if (event.id !== undefined && (typeof event.id !== 'string' || !UUID.test(event.id))) {
      throw new TypeError(`events[${index}].id must be a UUID`);
    }
    const id = (event.id ?? newId()).toLowerCase();
    if (ids.has(id)) throw new DuplicateEventIdError(streamId, id);
    ids.add(id);
    return {
      id,
      supplied: event.id !== undefined,
      type: event.type,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify(event.metadata ?? {}),
    };
  });
};

const holds = (expected: ExpectedRevision, current: bigint | undefined): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === undefined;
    case 'stream_exists':
      return current !== undefined;
    default:
      return current === expected;
  }
};

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
    holds(expected, revisionBefore(first.revision)) &&
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
  if (!holds(expected, current?.revision)) {
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
