import type { ServerDuplexStream } from '@grpc/grpc-js';
import { AllStreamPosition, type StreamIdentifier, type UUID } from '@eventstore/db-client/generated/shared_pb';
import type { Status } from '@eventstore/db-client/generated/status_pb';
import { type BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { isInvalidStreamName, maxAppendSize, toExpectedVersion, toProposedEvent } from './proposedEvent';
import { toStreamIdentifier } from './readResponses';
import { invalidArgument } from './rpcExceptions';
import { badRequestStatus, maximumAppendSizeExceededStatus, timeoutStatus, wrongExpectedVersionStatus } from './rpcStatus';
import { trackStreamingCall } from './streamingCall';
import type { ProposedEvent, TransactionLog, WriteResult } from './transactionLog';
import { parseUuid, toUuidDto } from './uuid';

/** ClusterVNodeOptions.WriteTimeoutMs default: a batch must be complete within it (and within its deadline). */
const writeTimeoutMs = 2000;

interface PendingWrite {
  readonly streamId: string;
  readonly expectedVersion: bigint;
  readonly events: ProposedEvent[];
  size: number;
  readonly timer: NodeJS.Timeout;
}

const response = (correlationId: UUID | undefined, stream: StreamIdentifier | undefined, result: Status | BatchAppendResp.Success) => {
  const message = new BatchAppendResp().setCorrelationId(correlationId).setStreamIdentifier(stream);
  return result instanceof BatchAppendResp.Success ? message.setSuccess(result) : message.setError(result);
};

/** BatchAppendResp.Success.Completed, or Status.WrongExpectedVersion. */
const toResult = (result: WriteResult, expectedVersion: bigint): Status | BatchAppendResp.Success => {
  if (result.kind === 'wrongExpectedVersion') return wrongExpectedVersionStatus(result.currentVersion, expectedVersion);
  const success = new BatchAppendResp.Success();
  if (result.lastEventNumber >= 0n) success.setCurrentRevision(result.lastEventNumber.toString());
  else success.setNoStream(new Empty());
  const position = result.position.toString();
  return success.setPosition(new AllStreamPosition().setCommitPosition(position).setPreparePosition(position));
};

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const correlationKey = (dto: UUID | undefined): string | null => {
  try {
    return parseUuid(dto);
  } catch {
    return null;
  }
};

/**
 * Streams.BatchAppend (BatchAppendWorker): requests keyed by correlation id, options in the first, events collected until
 * is_final, each answered on the shared stream with success or a google.rpc.Status whose details are packed.
 * Unlike the server, a request that fails to parse also drops its pending write, so no late Timeout follows the BadRequest.
 */
export const handleBatchAppend =
  (log: TransactionLog) =>
  (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void => {
    const streaming = trackStreamingCall(call);
    const pending = new Map<string, PendingWrite>();
    const respond = (message: BatchAppendResp): void => {
      streaming.send(message).catch(() => undefined);
    };
    const forgetPending = (correlationId: string): PendingWrite | undefined => {
      const write = pending.get(correlationId);
      pending.delete(correlationId);
      if (write) clearTimeout(write.timer);
      return write;
    };

    const receive = (request: BatchAppendReq): void => {
      const correlationId = parseUuid(request.getCorrelationId());
      const options = request.getOptions();
      if (options) {
        const stream = options.getStreamIdentifier();
        const deadline = options.getDeadline();
        const timeoutMs = Math.min(deadline ? deadline.toDate().getTime() - Date.now() : Number.POSITIVE_INFINITY, writeTimeoutMs);
        if (!stream) return respond(response(request.getCorrelationId(), stream, badRequestStatus('Required field StreamIdentifier not set.')));
        if (timeoutMs <= 0) return respond(response(request.getCorrelationId(), stream, timeoutStatus()));
        if (!pending.has(correlationId)) {
          const expectedVersion = toExpectedVersion(options, options.hasStreamPosition() ? options.getStreamPosition() : null);
          if (expectedVersion === null) throw invalidArgument('None', 'ExpectedStreamPositionOneofCase');
          const streamId = Buffer.from(stream.getStreamName_asU8()).toString('utf8');
          const timer = setTimeout(() => {
            if (forgetPending(correlationId)) respond(response(toUuidDto(correlationId, false), toStreamIdentifier(streamId), timeoutStatus()));
          }, timeoutMs);
          timer.unref();
          pending.set(correlationId, { streamId, expectedVersion, events: [], size: 0, timer });
        }
      }
      const write = pending.get(correlationId);
      if (!write) return;
      for (const message of request.getProposedMessagesList()) {
        const event = toProposedEvent(message, 'keyNotFound');
        write.size += event.data.length + event.metadata.length + event.eventType.length * 2;
        write.events.push(event);
      }
      if (write.size > maxAppendSize) {
        forgetPending(correlationId);
        return respond(response(request.getCorrelationId(), toStreamIdentifier(write.streamId), maximumAppendSizeExceededStatus(maxAppendSize)));
      }
      if (!request.getIsFinal() || !forgetPending(correlationId)) return;
      if (isInvalidStreamName(write.streamId)) throw new RangeError("Specified argument was out of the range of valid values. (Parameter 'eventStreamId')");
      const result = toResult(log.write(write.streamId, write.expectedVersion, write.events), write.expectedVersion);
      respond(response(request.getCorrelationId(), toStreamIdentifier(write.streamId), result));
    };

    call.on('data', (request: BatchAppendReq) => {
      try {
        receive(request);
      } catch (error) {
        const key = correlationKey(request.getCorrelationId());
        const write = key === null ? undefined : forgetPending(key);
        const stream = request.getOptions()?.getStreamIdentifier() ?? (write ? toStreamIdentifier(write.streamId) : undefined);
        respond(response(request.getCorrelationId(), stream, badRequestStatus(errorMessage(error))));
      }
    });
    call.on('end', () => {
      for (const correlationId of [...pending.keys()]) forgetPending(correlationId);
      streaming.complete();
    });
  };
