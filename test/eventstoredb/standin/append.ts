import type { sendUnaryData, ServerReadableStream } from '@grpc/grpc-js';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { type AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import { isInvalidStreamName, maxAppendSize, toExpectedVersion, toProposedEvent } from './proposedEvent';
import { handlerException, invalidArgument, maxAppendSizeExceeded, RpcError } from './rpcExceptions';
import type { ProposedEvent, TransactionLog, WriteResult } from './transactionLog';

type ExpectedCase = 'any' | 'noStream' | 'streamExists' | 'revision';

interface AppendOptions {
  readonly streamId: string;
  readonly expectedVersion: bigint;
  readonly expectedCase: ExpectedCase;
}

const deprecatedNumber = (value: bigint): number | null => (value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : null);

/** Streams.Append's answer: Success, or the WrongExpectedVersion message filled for the case the client sent. */
const toAppendResp = (result: WriteResult, options: AppendOptions): AppendResp => {
  if (result.kind === 'success') {
    const success = new AppendResp.Success();
    if (result.lastEventNumber === -1n) success.setNoStream(new Empty());
    else success.setCurrentRevision(result.lastEventNumber.toString());
    const position = result.position.toString();
    success.setPosition(new AppendResp.Position().setCommitPosition(position).setPreparePosition(position));
    return new AppendResp().setSuccess(success);
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  const expected = BigInt.asUintN(64, options.expectedVersion);
  if (options.expectedCase === 'any') wrong.setExpectedAny(new Empty()).setAny2060(new Empty());
  if (options.expectedCase === 'streamExists') wrong.setExpectedStreamExists(new Empty()).setStreamExists2060(new Empty());
  // The 20.6.0 field would carry 2^64-1 here, which the client's generated code (a JS number) cannot encode.
  if (options.expectedCase === 'noStream') wrong.setExpectedNoStream(new Empty());
  if (options.expectedCase === 'revision') {
    wrong.setExpectedRevision(expected.toString());
    const legacy = deprecatedNumber(expected);
    if (legacy !== null) wrong.setExpectedRevision2060(legacy);
  }
  if (result.currentVersion === -1n) wrong.setCurrentNoStream(new Empty()).setNoStream2060(new Empty());
  else {
    wrong.setCurrentRevision(result.currentVersion.toString());
    const legacy = deprecatedNumber(result.currentVersion);
    if (legacy !== null) wrong.setCurrentRevision2060(legacy);
  }
  return new AppendResp().setWrongExpectedVersion(wrong);
};

const toOptions = (request: AppendReq): AppendOptions => {
  const options = request.getOptions();
  if (!options) throw new Error('Operation is not valid due to the current state of the object.');
  const expectedVersion = toExpectedVersion(options, options.hasRevision() ? options.getRevision() : null);
  if (expectedVersion === null) throw invalidArgument('None', 'ExpectedStreamRevisionOneofCase');
  const expectedCase: ExpectedCase = options.hasAny()
    ? 'any'
    : options.hasNoStream()
      ? 'noStream'
      : options.hasStreamExists()
        ? 'streamExists'
        : 'revision';
  const streamId = Buffer.from(options.getStreamIdentifier()?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
  return { streamId, expectedVersion, expectedCase };
};

/** Streams.Append: the options message, then proposed messages; written when the client half-closes. */
export const handleAppend =
  (log: TransactionLog) =>
  (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>): void => {
    let done = false;
    const answer = (error: unknown, response?: AppendResp): void => {
      if (done) return;
      done = true;
      if (response) callback(null, response);
      else callback(error instanceof RpcError ? error : handlerException());
    };
    call.on('cancelled', () => {
      done = true;
    });

    let options: AppendOptions | null = null;
    const events: ProposedEvent[] = [];
    let size = 0;
    call.on('data', (request: AppendReq) => {
      if (done) return;
      try {
        if (options === null) {
          options = toOptions(request);
          return;
        }
        const message = request.getProposedMessage();
        if (!message) throw new Error('Operation is not valid due to the current state of the object.');
        events.push(
          toProposedEvent(message, 'rpcException', (eventSize) => {
            size += eventSize;
            if (size > maxAppendSize) throw maxAppendSizeExceeded(maxAppendSize);
          }),
        );
      } catch (error) {
        answer(error);
      }
    });
    call.on('end', () => {
      if (done) return;
      try {
        if (options === null) throw new Error('Operation is not valid due to the current state of the object.');
        if (isInvalidStreamName(options.streamId)) throw new RangeError("Specified argument was out of the range of valid values. (Parameter 'eventStreamId')");
        answer(null, toAppendResp(log.write(options.streamId, options.expectedVersion, events), options));
      } catch (error) {
        answer(error);
      }
    });
  };
