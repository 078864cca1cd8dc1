import { isJsonObject as isObject } from '../../jsutils';
import { CLIENT_EVENT_TYPES, type ClientEvent } from './client';
import { EVENT_SCHEMA_VERSION, type EventMetadata } from './metadata';

/** An event as read from the store, before it is trusted to be a current client event. */
export interface StoredEvent {
  type: string;
  data: unknown;
  metadata: unknown;
}

/** Raises the shape of an event by one schema version. */
export type Upcaster = (event: StoredEvent) => StoredEvent;

/** Steps by the version they upgrade from; empty while only version 1 has ever been written. */
const UPCASTERS: Readonly<Record<number, Upcaster>> = {};

/** An event this code cannot read: unknown type or a schema version it does not know. */
export class UnreadableEventError extends Error {}

/** Events written before metadata carried a version are version 1; any other value but a whole number is not ours to guess. */
const schemaVersionOf = (stored: StoredEvent): number => {
  const version = isObject(stored.metadata) ? stored.metadata.schemaVersion : undefined;
  if (version === undefined) return 1;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new UnreadableEventError(`${stored.type} has schema version ${JSON.stringify(version)}, which is not a whole number`);
  }
  return version;
};

const knownTypes: ReadonlySet<string> = new Set(CLIENT_EVENT_TYPES);

/**
 * The one way events are read: upgrades older schema versions step by step to the current one
 * and refuses what it cannot understand rather than guessing.
 */
export const readClientEvent = (
  stored: StoredEvent,
  upcasters: Readonly<Record<number, Upcaster>> = UPCASTERS,
  currentVersion: number = EVENT_SCHEMA_VERSION,
): { event: ClientEvent; metadata: EventMetadata } => {
  let event = stored;
  let version = schemaVersionOf(stored);
  if (version > currentVersion) {
    throw new UnreadableEventError(
      `${stored.type} has schema version ${version}; this code reads up to ${currentVersion} (written by a newer release?)`,
    );
  }
  while (version < currentVersion) {
    const step = upcasters[version];
    if (!step) throw new UnreadableEventError(`No upcaster for ${event.type} from schema version ${version}`);
    event = step(event);
    version += 1;
  }
  if (!knownTypes.has(event.type) || !isObject(event.data) || !isObject(event.metadata)) {
    throw new UnreadableEventError(`${event.type} is not an authorization code client event this code knows`);
  }
  return {
    event: { type: event.type, data: event.data } as ClientEvent,
    metadata: { ...(event.metadata as unknown as EventMetadata), schemaVersion: currentVersion },
  };
};
