import { StreamIdentifier } from '@eventstore/db-client/generated/shared_pb';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { type TFPos, toWirePosition } from './tfPos';
import type { LogRecord } from './transactionLog';
import { toUuidDto } from './uuid';

/** The stream name as its UTF-8 bytes (StreamIdentifier's implicit conversion from string). */
export const toStreamIdentifier = (streamId: string): StreamIdentifier =>
  new StreamIdentifier().setStreamName(Buffer.from(streamId, 'utf8'));

/** Streams.ConvertToReadEvent for a self-committed event: its own log position is both commit and prepare. */
export const eventResponse = (record: LogRecord, uuidAsString: boolean): ReadResp => {
  const event = record.event!;
  const position = record.logPosition.toString();
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(toUuidDto(event.eventId, uuidAsString))
    .setStreamIdentifier(toStreamIdentifier(event.streamId))
    .setStreamRevision(event.revision.toString())
    .setCommitPosition(position)
    .setPreparePosition(position)
    .setData(event.data)
    .setCustomMetadata(event.metadata);
  recorded
    .getMetadataMap()
    .set('type', event.eventType)
    .set('created', event.created.toString())
    .set('content-type', event.isJson ? 'application/json' : 'application/octet-stream');
  return new ReadResp().setEvent(new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(position));
};

/** ReadResponse.SubscriptionConfirmed. */
export const confirmationResponse = (subscriptionId: string): ReadResp =>
  new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(subscriptionId));

/** ReadResponse.CheckpointReceived, converted with Position.FromInt64 (so -1 travels as 2^64-1). */
export const checkpointResponse = (position: TFPos): ReadResp =>
  new ReadResp().setCheckpoint(
    new ReadResp.Checkpoint().setCommitPosition(toWirePosition(position.commit)).setPreparePosition(toWirePosition(position.prepare)),
  );

/** ReadResponse.SubscriptionCaughtUp: an empty message in 23.10 and 24.x. */
export const caughtUpResponse = (): ReadResp => new ReadResp().setCaughtUp(new ReadResp.CaughtUp());

/** ReadResponse.StreamNotFound. */
export const streamNotFoundResponse = (streamId: string): ReadResp =>
  new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(toStreamIdentifier(streamId)));
