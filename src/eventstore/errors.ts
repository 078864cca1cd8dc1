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
