import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { readAllBackward, readAllForward } from './allReader';
import { runAllSubscription } from './allSubscription';
import { defaultAllFilter, toEventFilter } from './eventFilter';
import { eventResponse, streamNotFoundResponse } from './readResponses';
import { invalidArgument, invalidCombination, requiredArgument, RpcError, unknownResult } from './rpcExceptions';
import { type StreamingCall, trackStreamingCall } from './streamingCall';
import { runStreamSubscription } from './streamSubscription';
import type { TFPos } from './tfPos';
import type { TransactionLog } from './transactionLog';

const { StreamOptionCase, CountOptionCase, FilterOptionCase, ReadDirection } = ReadReq.Options;
const readBatchSize = 32;
const maxInt64 = (1n << 63n) - 1n;
const maxUInt64 = (1n << 64n) - 1n;

const streamName = (options: ReadReq.Options.StreamOptions): string => {
  const name = Buffer.from(options.getStreamIdentifier()?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
  if (name === '') throw new TypeError('Value cannot be null. (Parameter streamName)');
  return name;
};

/** new Position(commit, prepare): commit >= prepare, each within int64 unless it is Position.End. */
const toPosition = (position: ReadReq.Options.Position): TFPos | 'end' => {
  const commit = BigInt(position.getCommitPosition());
  const prepare = BigInt(position.getPreparePosition());
  const outOfRange = (value: bigint): boolean => value > maxInt64 && value !== maxUInt64;
  if (commit < prepare || outOfRange(commit) || outOfRange(prepare)) throw new RangeError('invalid position');
  return commit === maxUInt64 && prepare === maxUInt64 ? 'end' : { commit, prepare };
};

const allStart = (options: ReadReq.Options.AllOptions): 'start' | 'end' | TFPos => {
  if (options.hasStart()) return 'start';
  if (options.hasEnd()) return 'end';
  if (options.hasPosition()) return toPosition(options.getPosition()!);
  throw new TypeError('Operation is not valid due to the current state of the object.');
};

const streamStart = (options: ReadReq.Options.StreamOptions): 'start' | 'end' | bigint => {
  if (options.hasStart()) return 'start';
  if (options.hasEnd()) return 'end';
  if (options.hasRevision()) return BigInt.asIntN(64, BigInt(options.getRevision()));
  throw new TypeError('Operation is not valid due to the current state of the object.');
};

/** Enumerator.ReadStreamForwards / ReadStreamBackwards: StreamNotFound for a stream without events. */
const readStream = async (log: TransactionLog, options: ReadReq.Options, uuidAsString: boolean, call: StreamingCall<ReadResp>) => {
  const streamOptions = options.getStream()!;
  const streamId = streamName(streamOptions);
  const start = streamStart(streamOptions);
  const forwards = options.getReadDirection() === ReadDirection.FORWARDS;
  const fromRevision = start === 'start' ? 0n : start === 'end' ? -1n : start;
  if (forwards && fromRevision < 0n) throw unknownResult('ReadStreamResult', 'Error');
  const events = log.streamEvents(streamId);
  if (events.length === 0) return call.send(streamNotFoundResponse(streamId));
  const last = BigInt(events.length - 1);
  let count = BigInt(options.getCount());
  if (forwards) {
    for (let revision = fromRevision; revision <= last && count > 0n; revision += 1n, count -= 1n) {
      await call.send(eventResponse(events[Number(revision)], uuidAsString));
    }
    return;
  }
  for (let revision = fromRevision < 0n || fromRevision > last ? last : fromRevision; revision >= 0n && count > 0n; revision -= 1n, count -= 1n) {
    await call.send(eventResponse(events[Number(revision)], uuidAsString));
  }
};

/** Enumerator.ReadAllForwards (pages of 32) / ReadAllBackwards, through the default $all filter. */
const readAll = async (log: TransactionLog, options: ReadReq.Options, uuidAsString: boolean, call: StreamingCall<ReadResp>) => {
  const start = allStart(options.getAll()!);
  const head = (): TFPos => ({ commit: log.writerPosition(), prepare: log.writerPosition() });
  const count = BigInt(options.getCount());
  if (options.getReadDirection() === ReadDirection.BACKWARDS) {
    const from = start === 'start' ? { commit: 0n, prepare: 0n } : start === 'end' ? head() : start;
    for (const record of readAllBackward(log, from, count, defaultAllFilter)) await call.send(eventResponse(record, uuidAsString));
    return;
  }
  let from = start === 'start' ? { commit: 0n, prepare: 0n } : start === 'end' ? head() : start;
  for (let read = 0n; read < count; ) {
    const pageSize = Number(count - read < readBatchSize ? count - read : BigInt(readBatchSize));
    const page = readAllForward(log, from, pageSize, Number.POSITIVE_INFINITY, defaultAllFilter);
    if (!page) throw unknownResult('ReadAllResult', 'InvalidPosition');
    for (const record of page.records) {
      await call.send(eventResponse(record, uuidAsString));
      read += 1n;
    }
    if (page.records.length < pageSize) return;
    from = page.nextPos;
  }
};

const subscribeToAll = (log: TransactionLog, options: ReadReq.Options, uuidAsString: boolean, kdb710Fixed: boolean, call: StreamingCall<ReadResp>) => {
  const from = allStart(options.getAll()!);
  if (!options.hasFilter()) return runAllSubscription(log, { from, filter: null, uuidAsString, kdb710Fixed }, call);
  const filterOptions = options.getFilter()!;
  const allowed = toEventFilter(filterOptions);
  if (!filterOptions.hasMax() && !filterOptions.hasCount()) throw invalidArgument(String(filterOptions.getWindowCase()), 'WindowOneofCase');
  const maxSearchWindow = filterOptions.hasMax() ? filterOptions.getMax() : readBatchSize;
  const multiplier = filterOptions.getCheckpointintervalmultiplier();
  if (multiplier === 0) throw new RangeError('checkpointIntervalMultiplier must not be zero');
  const filter = { allowed, maxSearchWindow, checkpointInterval: multiplier * maxSearchWindow };
  return runAllSubscription(log, { from, filter, uuidAsString, kdb710Fixed }, call);
};

const read = (log: TransactionLog, request: ReadReq, kdb710Fixed: boolean, call: StreamingCall<ReadResp>): Promise<void> => {
  const options = request.getOptions();
  if (!options) throw new TypeError('Object reference not set to an instance of an object.');
  const uuidOption = options.getUuidOption();
  if (!uuidOption) throw requiredArgument('uuidOption', 'EventStore.Client.Streams.ReadReq+Types+Options+Types+UUIDOption');
  const uuidAsString = uuidOption.hasString();
  const target = options.getStreamOptionCase();
  if (target === StreamOptionCase.STREAM_OPTION_NOT_SET) throw invalidArgument('None', 'StreamOptionOneofCase');
  const counted = options.getCountOptionCase() === CountOptionCase.COUNT;
  const subscription = options.getCountOptionCase() === CountOptionCase.SUBSCRIPTION;
  const filtered = options.getFilterOptionCase() === FilterOptionCase.FILTER;
  const unfiltered = options.getFilterOptionCase() === FilterOptionCase.NO_FILTER;
  const forwards = options.getReadDirection() === ReadDirection.FORWARDS;
  if (target === StreamOptionCase.STREAM && counted && unfiltered) return readStream(log, options, uuidAsString, call);
  if (target === StreamOptionCase.ALL && counted && unfiltered) return readAll(log, options, uuidAsString, call);
  if (target === StreamOptionCase.ALL && counted && filtered) {
    throw new RpcError(status.UNIMPLEMENTED, 'Filtered $all reads are not modelled by the EventStoreDB stand-in');
  }
  if (target === StreamOptionCase.STREAM && subscription && forwards && unfiltered) {
    const streamOptions = options.getStream()!;
    return runStreamSubscription(log, streamName(streamOptions), streamStart(streamOptions), uuidAsString, call);
  }
  if (target === StreamOptionCase.ALL && subscription && forwards && (filtered || unfiltered)) {
    return subscribeToAll(log, options, uuidAsString, kdb710Fixed, call);
  }
  throw invalidCombination(`(${target}, ${options.getCountOptionCase()}, ${options.getReadDirection()}, ${options.getFilterOptionCase()})`);
};

/** Streams.Read: stream and $all reads in both directions, and stream and $all subscriptions. */
export const handleRead =
  (log: TransactionLog, kdb710Fixed: boolean) =>
  (call: ServerWritableStream<ReadReq, ReadResp>): void => {
    const streaming = trackStreamingCall(call);
    Promise.resolve()
      .then(() => read(log, call.request, kdb710Fixed, streaming))
      .then(
        () => streaming.complete(),
        (error: unknown) => streaming.fail(error),
      );
  };
