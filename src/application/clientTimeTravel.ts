import {
  type Actor,
  type Client,
  type ClientEvent,
  type EventMetadata,
  clientStreamId,
  clientVersion,
  evolve,
  initialState,
  isVisibleTo,
  parseVersionNumber,
  readClientEvent,
} from '../domain/client';
import { ValidationError, type Violation } from '../errors';
import { type EventStore, type Position, type RecordedEvent } from '../eventstore';
import { UUID_PATTERN } from '../jsutils';

/**
 * When to read a client at: after its `version`-th event, or after the last of its events that
 * occurred at or before `asOf` (events stay in stream order: one before it that a skewed clock
 * stamped later is included).
 */
export interface ClientMoment {
  asOf?: Date | null;
  version?: number | null;
}

/** A client as it was at a moment: its settings then, and what the client list showed of it then. */
export interface PastClient {
  client: Client;
  /** Events applied by then. */
  version: number;
  /** The position of the last event applied. */
  position: Position;
  /** The id of the last event applied: the client's history as it was then ends with it. */
  lastEventId: string;
  createdAt: Date;
  updatedAt: Date;
  createdBy: Actor;
}

/** Reads clients as they were, folded from their own events in the store. */
export interface ClientTimeTravel {
  /**
   * The tenant's client as it was at `moment` (with neither part given: as it is now); null when it
   * did not exist then (before it was created, once deleted, a version past its last), or is
   * another tenant's. BAD_USER_INPUT when both parts are given or the version is not a whole number
   * of at least 1.
   */
  clientAt(tenantId: string, clientId: string, moment: ClientMoment): Promise<PastClient | null>;
}

type ReadEvent = { event: ClientEvent; metadata: EventMetadata; recorded: RecordedEvent };

/** Every broken rule of a moment: the two parts exclude each other, and a version counts events from 1. */
const momentViolations = ({ asOf, version }: ClientMoment): Violation[] => {
  if (asOf != null && version != null) {
    return [{ field: 'version', rule: 'oneOf', message: 'Give asOf or version, not both: each names a moment on its own' }];
  }
  if (version == null) return [];
  const parsed = parseVersionNumber(version, { field: 'version' });
  return parsed.ok ? [] : parsed.violations;
};

/** How many of the client's events had been recorded by `moment`: the version then. */
const eventsBy = (events: readonly ReadEvent[], { asOf, version }: ClientMoment): number => {
  if (version != null) return version;
  if (asOf == null) return events.length;
  const at = asOf.getTime();
  return events.findLastIndex(({ metadata }) => Date.parse(metadata.occurredAt) <= at) + 1;
};

/** The client the first `count` events make, or null when they make none the tenant may see. */
const fold = (events: readonly ReadEvent[], count: number, tenantId: string, clientId: string): PastClient | null => {
  if (count < 1 || count > events.length) return null;
  const applied = events.slice(0, count);
  const state = applied.reduce((folded, { event }) => evolve(folded, event), initialState);
  if (!isVisibleTo(state, tenantId) || state.client.id !== clientId) return null;
  const first = applied[0];
  const last = applied[applied.length - 1];
  return {
    client: state.client,
    version: clientVersion(last.recorded.revision),
    position: last.recorded.position,
    lastEventId: last.recorded.id,
    createdAt: new Date(first.metadata.occurredAt),
    updatedAt: new Date(last.metadata.occurredAt),
    createdBy: { id: first.metadata.actor.id, name: first.metadata.actor.name },
  };
};

/** Creates the time-travel reader over the store: each read folds one client's stream with the decider's evolve. */
export const createClientTimeTravel = (store: EventStore): ClientTimeTravel => ({
  async clientAt(tenantId, clientId, moment) {
    const violations = momentViolations(moment);
    if (violations.length > 0) throw new ValidationError(violations);
    const id = clientId.trim().toLowerCase();
    if (!UUID_PATTERN.test(id)) return null;
    const { events } = await store.readStream(clientStreamId(id));
    const read = events.map((recorded) => ({ ...readClientEvent(recorded), recorded }));
    return fold(read, eventsBy(read, moment), tenantId, id);
  },
});
