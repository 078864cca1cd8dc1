import { type Database } from 'better-sqlite3';
import { type ClientEvent, type EventMetadata } from '../src/domain/client';
import { type RecordedEvent } from '../src/eventstore';

/** A client event as projections see it: the domain event, its metadata, and where it was recorded. */
export interface ProjectedEvent {
  event: ClientEvent;
  metadata: EventMetadata;
  recorded: RecordedEvent;
}

/**
 * A read model built from events. `apply` runs inside the transaction that also moves the
 * projection's checkpoint, so its writes and the checkpoint commit together or not at all.
 */
export interface Projection {
  readonly name: string;
  /** Bump when the tables or their meaning change: the projection is then rebuilt from the events. */
  readonly version: number;
  readonly handles: readonly ClientEvent['type'][];
  /** Creates the projection's tables if missing. */
  init(db: Database): void;
  /** Drops the projection's tables before a rebuild (`init` then creates them as this version defines them). */
  reset(db: Database): void;
  /** Applies events, in global order, that the projection has not applied before. */
  apply(events: readonly ProjectedEvent[], db: Database): void;
}

/** Prepares statements once per database handle. */
export const preparedFor = <T>(prepare: (db: Database) => T): ((db: Database) => T) => {
  const cache = new WeakMap<Database, T>();
  return (db) => {
    let statements = cache.get(db);
    if (!statements) {
      statements = prepare(db);
      cache.set(db, statements);
    }
    return statements;
  };
};
