import type { AppendReq, BatchAppendReq } from '@eventstore/db-client/generated/streams_pb';
import { requiredMetadataPropertyMissing } from './rpcExceptions';
import { ExpectedVersion, type ProposedEvent } from './transactionLog';
import { emptyGuid, parseUuid } from './uuid';

/** The limit of one append's Event.SizeOnDisk sum (ClusterVNodeOptions.MaxAppendSize default). */
export const maxAppendSize = 1024 * 1024;

/**
 * A proposed message as the server's Event constructor takes it: `type` and `content-type` required (Append answers
 * RequiredMetadataPropertyMissing, BatchAppend's dictionary indexer throws), JSON when the content type says so exactly,
 * a parseable non-empty id and a non-empty type. `countSize` gets Event.SizeOnDisk (data, metadata, twice the type's
 * length) before the id is parsed, as Streams.Append counts it.
 */
export const toProposedEvent = (
  message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage,
  missingMetadata: 'rpcException' | 'keyNotFound',
  countSize: (eventSize: number) => void = () => undefined,
): ProposedEvent => {
  const metadata = message.getMetadataMap();
  const required = (key: string): string => {
    const value = metadata.get(key);
    if (value !== undefined) return value;
    if (missingMetadata === 'rpcException') throw requiredMetadataPropertyMissing(key);
    throw new Error(`The given key '${key}' was not present in the dictionary.`);
  };
  const eventType = required('type');
  const contentType = required('content-type');
  const data = message.getData_asU8().slice();
  const customMetadata = message.getCustomMetadata_asU8().slice();
  countSize(data.length + customMetadata.length + eventType.length * 2);
  const eventId = parseUuid(message.getId());
  if (eventId === emptyGuid) throw new Error("Empty eventId provided. (Parameter 'eventId')");
  if (eventType === '') throw new Error("Empty eventType provided. (Parameter 'eventType')");
  return {
    eventId,
    eventType,
    isJson: contentType === 'application/json',
    data,
    metadata: customMetadata,
  };
};

/** SystemStreams.IsInvalidStream: the WriteEvents constructor refuses "" and "$$". */
export const isInvalidStreamName = (streamId: string): boolean => streamId === '' || streamId === '$$';

interface ExpectedCases {
  hasAny(): boolean;
  hasNoStream(): boolean;
  hasStreamExists(): boolean;
}

/** An append's expected version, StreamRevision.ToInt64 for an exact one (2^64-1 is -1); null when no case is set. */
export const toExpectedVersion = (options: ExpectedCases, revision: string | null): bigint | null => {
  if (options.hasAny()) return ExpectedVersion.any;
  if (options.hasNoStream()) return ExpectedVersion.noStream;
  if (options.hasStreamExists()) return ExpectedVersion.streamExists;
  return revision === null ? null : BigInt.asIntN(64, BigInt(revision));
};
