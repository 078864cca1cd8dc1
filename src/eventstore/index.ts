export type {
  AppendResult,
  EventData,
  EventStore,
  ExpectedRevision,
  JsonObject,
  JsonValue,
  ReadStreamOptions,
  ReadStreamResult,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
  SubscriptionMessage,
} from './eventStore';
export { ConcurrencyError, DuplicateEventIdError, StoreUnavailableError } from './errors';
export { comparePositions, positionFromToken, positionToToken, type Position } from './position';
