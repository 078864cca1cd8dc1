import { type Position } from './position';

export type { JsonObject, JsonValue } from '../jsutils';

import { type JsonObject } from '../jsutils';

/** What the writer expects of the stream before appending, as EventStoreDB understands it. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** An event to append. A given `id` lets the store deduplicate a retried append. */
export interface EventData {
  id?: string;
  type: string;
  data: JsonObject;
  metadata?: JsonObject;
}

/** An event as the store recorded it. */
export interface RecordedEvent {
  id: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  streamId: string;
  /** Zero-based index of the event within its stream. */
  revision: bigint;
  /** Global position, totally ordered over every stream. */
  position: Position;
  created: Date;
}

/** What an append answers. */
export interface AppendResult {
  /** The revision of the last event written: pass it as `expectedRevision` next time. */
  nextExpectedRevision: bigint;
  /** The global position of the last event written. */
  position: Position;
}

/** Options of `readStream`. */
export interface ReadStreamOptions {
  /** First revision to read (inclusive); `start` by default forwards, `end` backwards. */
  fromRevision?: bigint | 'start' | 'end';
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

/** What `readStream` answers: a stream that was never written is told apart from an empty read. */
export type ReadStreamResult =
  | { streamExists: false; events: [] }
  | { streamExists: true; events: RecordedEvent[] };

/** Options of `subscribeToAll`. */
export interface SubscribeToAllOptions {
  /** Deliver events after this position (exclusive); `start` by default. */
  fromPosition?: Position | 'start' | 'end';
  /** Only events whose stream name starts with one of these prefixes. */
  filter?: { streamNamePrefixes: string[] };
}

/** What a subscription delivers, in global order. */
export type SubscriptionMessage =
  | { type: 'event'; event: RecordedEvent }
  /** Everything committed when the subscription started has been delivered; live events follow. */
  | { type: 'caughtUp'; position: Position | null }
  /** The subscription has seen everything up to here, even if the filter let nothing through. */
  | { type: 'checkpoint'; position: Position };

/** A running subscription; iterate it, and `unsubscribe` to end the iteration. */
export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  unsubscribe(): Promise<void>;
}

/**
 * The event store port: EventStoreDB semantics, so every adapter behaves the same.
 * Appends are atomic per call; positions are global and totally ordered.
 */
export interface EventStore {
  /** Appends events to one stream atomically, or raises `ConcurrencyError` when `expectedRevision` does not hold. */
  appendToStream(
    streamId: string,
    events: EventData[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;
  /** Reads one stream; a stream never written answers `streamExists: false`. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<ReadStreamResult>;
  /** Delivers every committed event once, in global order, then follows new ones live. */
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  /** Releases the store's resources; open subscriptions end. */
  close(): Promise<void>;
}
