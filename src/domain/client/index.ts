export {
  type ApplicationType,
  CLIENT_EVENT_TYPES,
  CLIENT_STREAM_PREFIX,
  type Client,
  type ClientCreated,
  type ClientEvent,
  type ClientState,
  type Registration,
  clientStreamId,
  evolve,
  evolveAll,
  evolveAsRecorded,
  initialState,
  isVisibleTo,
  withNormalUrls,
} from './client';
export {
  type AddClient,
  type ClientCommand,
  type ClientSettingsInput,
  type DeleteRegisteredClient,
  type RegisterClient,
  type ReplaceRegisteredClient,
  type RevertClient,
  type UpdateClient,
} from './commands';
export { WEB_REDIRECT_MESSAGE, holdsRegistrationToken, registrationOf } from './registration';
export { type PreparedCommand, decide, prepareCommand } from './decide';
export { type Actor, EVENT_SCHEMA_VERSION, type EventMetadata } from './metadata';
export { readClientEvent, type StoredEvent, UnreadableEventError, type Upcaster } from './upcast';
export { LIMITS, normalUrl, parseVersionNumber } from './values';
export { clientVersion } from './version';
export { type RedirectDifferenceKind } from './redirectDifferences';
export { type NearestRedirectUrl, type RedirectMatchRule, type RedirectUrlDifference, type RedirectUrlMatch, matchRedirectUrl } from './redirectMatch';
