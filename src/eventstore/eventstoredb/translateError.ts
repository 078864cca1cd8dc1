import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  convertToCommandError,
  isCommandError,
} from '@eventstore/db-client';
import { AppError, InternalError } from '../../errors';
import { StoreUnavailableError } from '../errors';

/** What was being done when EventStoreDB failed, for the error message. */
export type StoreOperation = 'append' | 'read' | 'subscribe';

const DOING: Record<StoreOperation, string> = {
  append: 'appending events',
  read: 'reading a stream',
  subscribe: 'following $all',
};

/**
 * Turns a client failure into our errors: a server that cannot be reached, does not answer in
 * time, is not the leader, or refuses our credentials makes `StoreUnavailableError`; anything
 * else unexpected an `InternalError`. The client's error stays as the cause, for the log.
 * Errors that are already ours pass through.
 */
export const translateError = (thrown: unknown, operation: StoreOperation): Error => {
  if (!(thrown instanceof Error)) return new InternalError(`EventStoreDB failed while ${DOING[operation]}`, {}, { cause: thrown });
  if (thrown instanceof AppError) return thrown;
  // Some calls (an append right after a reconnect) reject with the raw gRPC error: classify it as the client would.
  const error = convertToCommandError(thrown);
  // Not a call's outcome but the client failing to get a connection at all (cluster discovery, channel setup).
  if (!isCommandError(error)) {
    return new StoreUnavailableError(
      `The event store (EventStoreDB) is unavailable: could not connect for ${DOING[operation]}`,
      { store: 'eventstoredb' },
      { cause: error },
    );
  }
  const unknownOutcome = operation === 'append' ? '; the events may or may not have been recorded' : '';
  if (error instanceof DeadlineExceededError || error instanceof TimeoutError) {
    return new StoreUnavailableError(
      `The event store (EventStoreDB) did not answer in time while ${DOING[operation]}${unknownOutcome}`,
      { store: 'eventstoredb' },
      { cause: error },
    );
  }
  if (
    error instanceof UnavailableError ||
    error instanceof CancelledError ||
    error instanceof NotLeaderError ||
    error instanceof UnknownError
  ) {
    return new StoreUnavailableError(
      `The event store (EventStoreDB) is unavailable: ${DOING[operation]} failed${unknownOutcome}`,
      { store: 'eventstoredb' },
      { cause: error },
    );
  }
  if (error instanceof AccessDeniedError) {
    return new StoreUnavailableError(
      'The event store (EventStoreDB) refused this service access; check EVENTSTORE_CONNECTION_STRING',
      { store: 'eventstoredb' },
      { cause: error },
    );
  }
  return new InternalError(`EventStoreDB failed while ${DOING[operation]} (${error.type})`, {}, { cause: error });
};
