import { type ClientEvent, type EventMetadata } from '../src/domain/client';
import { type RecordedEvent } from '../src/eventstore';
import { type ReadModelDatabase } from '../src/readmodel';

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
  init(db: ReadModelDatabase): void;
  /** Drops the projection's tables before a rebuild (`init` then creates them as this version defines them). */
  reset(db: ReadModelDatabase): void;
  /**
   * Applies a batch of the events it handles, in global order; an event it applied before (a
   * replay) changes nothing. A throw rolls the whole batch back, its checkpoint included.
   */
  apply(events: readonly ProjectedEvent[], db: ReadModelDatabase): void;
}
