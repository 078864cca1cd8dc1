import { BACKWARDS, END, FORWARDS, START, StreamNotFoundError, WrongExpectedVersionError, jsonEvent } from '@eventstore/db-client';
import { InternalError } from '../../errors';
import { ConcurrencyError } from '../errors';
import { type AppendResult, type ExpectedRevision, type ReadStreamOptions, type ReadStreamResult, type RecordedEvent } from '../eventStore';
import { type CheckedEvent, checkReadOptions, expectationHolds } from '../inputChecks';
import { type Connection } from './connection';
import { toRecordedEvent } from './recordedEvents';
import { translateError } from './translateError';

/** Reads one stream through `connection`; a stream never written answers `streamExists: false`. */
export const readEvents = async (
  connection: Connection,
  streamId: string,
  readOptions: ReadStreamOptions,
  deadline: number,
): Promise<ReadStreamResult> => {
  const { direction, fromRevision, maxCount } = checkReadOptions(readOptions);
  if (direction === 'forwards' && fromRevision === 'end') {
    // The server answers a forwards read from the end with an error (UNKNOWN, "Unexpected
    // ReadStreamResult"); there is nothing after the end, so only ask whether the stream exists.
    const { streamExists } = await readEvents(connection, streamId, { direction: 'backwards', maxCount: 0 }, deadline);
    return { streamExists, events: [] };
  }
  const events: RecordedEvent[] = [];
  try {
    await connection.call('read', async (client) => {
      const reading = client.readStream(streamId, {
        direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
        fromRevision: fromRevision === 'start' ? START : fromRevision === 'end' ? END : fromRevision,
        // The server cannot be asked for nothing: a read of none asks for one to learn whether the stream exists.
        ...(maxCount === undefined ? {} : { maxCount: Math.max(maxCount, 1) }),
        deadline,
      });
      for await (const resolved of reading) events.push(toRecordedEvent(resolved));
    });
  } catch (error) {
    if (error instanceof StreamNotFoundError) return { streamExists: false, events: [] };
    throw translateError(error, 'read');
  }
  return { streamExists: true, events: maxCount === 0 ? [] : events };
};

/** An append of nothing checks the expectation and answers where the stream stands. */
const checkOnly = async (connection: Connection, streamId: string, expected: ExpectedRevision, deadline: number): Promise<AppendResult> => {
  const { events } = await readEvents(connection, streamId, { direction: 'backwards', maxCount: 1 }, deadline);
  const last = events[0];
  if (!expectationHolds(expected, last?.revision)) {
    throw new ConcurrencyError(streamId, expected, last?.revision ?? 'no_stream');
  }
  return { nextExpectedRevision: last?.revision ?? -1n, position: last?.position ?? { commit: 0n, prepare: 0n } };
};

/** Appends checked events to one stream through `connection`, with their ids so the server deduplicates a retry. */
export const appendEvents = async (
  connection: Connection,
  streamId: string,
  checked: readonly CheckedEvent[],
  expected: ExpectedRevision,
  deadline: number,
): Promise<AppendResult> => {
  if (checked.length === 0) return checkOnly(connection, streamId, expected, deadline);
  try {
    const result = await connection.call('append', (client) =>
      client.appendToStream(
        streamId,
        checked.map(({ id, type, data, metadata }) => jsonEvent({ id, type, data, metadata })),
        { expectedRevision: expected, deadline },
      ),
    );
    if (!result.position) throw new InternalError(`EventStoreDB answered the append to ${streamId} without a position`);
    return {
      nextExpectedRevision: result.nextExpectedRevision,
      position: { commit: result.position.commit, prepare: result.position.prepare },
    };
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) {
      throw new ConcurrencyError(streamId, expected, error.actualVersion);
    }
    throw translateError(error, 'append');
  }
};
