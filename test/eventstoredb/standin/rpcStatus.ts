import { Code } from '@eventstore/db-client/generated/code_pb';
import {
  BadRequest,
  MaximumAppendSizeExceeded,
  Timeout,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { ExpectedVersion } from './transactionLog';

const status = (code: Code, message: string, detailType: string, detail: { serializeBinary(): Uint8Array }): Status => {
  const details = new Any();
  details.pack(detail.serializeBinary(), `event_store.client.${detailType}`);
  return new Status().setCode(code).setMessage(message).setDetails(details);
};

/** Status.WrongExpectedVersion packing WrongExpectedVersion.Create's fields: BatchAppend's answer to a mismatch. */
export const wrongExpectedVersionStatus = (currentVersion: bigint, expectedVersion: bigint): Status => {
  const detail = new WrongExpectedVersion();
  if (currentVersion === ExpectedVersion.noStream) detail.setCurrentNoStream(new Empty());
  else detail.setCurrentStreamRevision(currentVersion.toString());
  if (expectedVersion === ExpectedVersion.any) detail.setExpectedAny(new Empty());
  else if (expectedVersion === ExpectedVersion.noStream) detail.setExpectedNoStream(new Empty());
  else if (expectedVersion === ExpectedVersion.streamExists) detail.setExpectedStreamExists(new Empty());
  else detail.setExpectedStreamPosition(expectedVersion.toString());
  return status(Code.ALREADY_EXISTS, 'WrongExpectedVersion', 'WrongExpectedVersion', detail);
};

/** Status.Timeout: the batch was not complete (or its deadline had passed) within the write timeout. */
export const timeoutStatus = (): Status => status(Code.DEADLINE_EXCEEDED, 'Timeout', 'Timeout', new Timeout());

/** Status.BadRequest: any exception while taking a batch request apart. */
export const badRequestStatus = (message: string): Status =>
  status(Code.INVALID_ARGUMENT, 'BadRequest', 'BadRequest', new BadRequest().setMessage(message));

/** Status.MaximumAppendSizeExceeded. */
export const maximumAppendSizeExceededStatus = (maxAppendSize: number): Status =>
  status(
    Code.INVALID_ARGUMENT,
    'MaximumAppendSizeExceeded',
    'MaximumAppendSizeExceeded',
    new MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize),
  );
