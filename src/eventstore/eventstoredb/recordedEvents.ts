import { type AllStreamResolvedEvent, type EventType, type ResolvedEvent } from '@eventstore/db-client';
import { InternalError } from '../../errors';
import { isJsonObject } from '../../jsutils';
import { type JsonObject, type RecordedEvent } from '../eventStore';

/** Reads data or metadata the client may give as parsed JSON, raw bytes of JSON, or nothing. */
const jsonObjectOf = (value: unknown, what: string, eventId: string): JsonObject => {
  if (value === undefined || value === null) return {};
  if (value instanceof Uint8Array) {
    if (value.length === 0) return {};
    try {
      const parsed: unknown = JSON.parse(Buffer.from(value).toString('utf8'));
      if (isJsonObject(parsed)) return parsed;
    } catch {
      // Not JSON: refused below.
    }
  } else if (isJsonObject(value)) {
    return value;
  }
  throw new InternalError(`Event ${eventId} in EventStoreDB has ${what} that is not a JSON object`);
};

/** Our recorded event from the client's resolved event (links are not resolved, so `event` is the record). */
export const toRecordedEvent = (resolved: ResolvedEvent<EventType> | AllStreamResolvedEvent): RecordedEvent => {
  const record = resolved.event;
  if (!record) throw new InternalError('EventStoreDB sent a resolved event without its event record');
  if (!record.position) throw new InternalError(`EventStoreDB sent event ${record.id} without its position in $all`);
  return {
    id: record.id,
    type: record.type,
    data: jsonObjectOf(record.data, 'data', record.id),
    metadata: jsonObjectOf(record.metadata, 'metadata', record.id),
    streamId: record.streamId,
    revision: record.revision,
    position: { commit: record.position.commit, prepare: record.position.prepare },
    created: record.created,
  };
};
