import { CLIENT_EVENT_TYPES, type ClientState, clientVersion, evolve } from '../src/domain/client';
import { positionToToken } from '../src/eventstore';
import {
  type ClientRecord,
  type ReadModelDatabase,
  createClientTables,
  dropClientTables,
  readClientRecords,
  updateClientTags,
  writeClientRecord,
} from '../src/readmodel';
import { type ProjectedEvent, type Projection } from './projection';

const stateOf = (record: ClientRecord | undefined): ClientState =>
  record === undefined ? { status: 'absent' } : { status: record.deleted ? 'deleted' : 'active', client: record.client };

/** The record after one event, or undefined when the event is one this record already holds or leaves no client. */
const nextRecord = (before: ClientRecord | undefined, { event, metadata, recorded }: ProjectedEvent): ClientRecord | undefined => {
  const version = clientVersion(recorded.revision);
  if (before && before.version >= version) return undefined;
  const next = evolve(stateOf(before), event);
  if (next.status === 'absent') return undefined;
  return {
    client: next.client,
    deleted: next.status === 'deleted',
    version,
    position: positionToToken(recorded.position),
    createdAt: before?.createdAt ?? metadata.occurredAt,
    updatedAt: metadata.occurredAt,
    createdBy: before?.createdBy ?? { id: metadata.actor.id, name: metadata.actor.name },
  };
};

/**
 * Folds a batch into each client's record in memory and writes each changed client's row once.
 * Tags change row by row in event order, so `client_tags` is the same whatever the batches were.
 */
const applyBatch = (events: readonly ProjectedEvent[], db: ReadModelDatabase): void => {
  const stored = readClientRecords(db, [...new Set(events.map(({ event }) => event.data.clientId))]);
  // In the order first changed: new rows get their rowids in the order of their creation, whatever the batches.
  const changed = new Map<string, ClientRecord>();
  for (const projected of events) {
    const id = projected.event.data.clientId;
    const before = changed.get(id) ?? stored.get(id);
    const after = nextRecord(before, projected);
    if (!after) continue;
    updateClientTags(db, before, after);
    changed.set(id, after);
  }
  for (const record of changed.values()) writeClientRecord(db, record);
};

/** The queryable list of clients (tables `clients` and `client_tags`): one row per client, deleted ones kept as tombstones. */
export const clientListProjection: Projection = {
  name: 'clientList',
  // 2: name_search is composed and sigma-folded (see searchKey).
  // 3: redirect and logout redirect URLs in RFC 3986 §6.2.2 normal form, whatever the events recorded.
  version: 3,
  handles: CLIENT_EVENT_TYPES,
  init: createClientTables,
  reset: dropClientTables,
  apply: applyBatch,
};
