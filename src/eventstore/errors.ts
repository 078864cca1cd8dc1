import { ConflictError, InternalError } from '../errors';
import { type ExpectedRevision } from './eventStore';

/** The stream was not at the expected revision (EventStoreDB's WrongExpectedVersion). */
export class ConcurrencyError extends ConflictError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or `no_stream`. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamId} is at ${String(actual)}, expected ${String(expected)}`);
  }
}

/** The event store cannot be reached or refused to work; the command did not happen. */
export class StoreUnavailableError extends InternalError {}

/**
 * An event id is already recorded somewhere this append does not repeat exactly, so the append
 * is not a retry of the one that wrote it; nothing was written.
 */
export class DuplicateEventIdError extends ConflictError {
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(`Event id ${eventId} is already used; the append to ${streamId} is not a retry of the append that recorded it`);
  }
}
