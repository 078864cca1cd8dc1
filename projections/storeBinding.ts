import { type ReadModelDatabase, prepared } from '../src/readmodel';
import { checkpointStore } from './checkpoints';
import { type Projection } from './projection';

/** The store a read model was built from, before this was recorded: only the embedded store existed. */
const UNRECORDED = 'sqlite';

/**
 * Ties a read model to the event store it is built from. Checkpoints are positions in one store's
 * log and mean nothing in another: when the store changes (EVENT_STORE, or another EventStoreDB),
 * every projection is marked never run, so the runner drops and replays it from the new store.
 * Answers the identity the read model had, or `null` when it matches `identity`.
 */
export const bindReadModelToStore = (db: ReadModelDatabase, identity: string, projections: readonly Projection[]): string | null =>
  db.transaction((): string | null => {
    const checkpoints = checkpointStore(db);
    db.exec('CREATE TABLE IF NOT EXISTS read_model_store (id INTEGER PRIMARY KEY CHECK (id = 1), identity TEXT NOT NULL) STRICT');
    const row = prepared<[], { identity: string }>(db, 'SELECT identity FROM read_model_store WHERE id = 1').get();
    const anyCheckpoint = prepared(db, 'SELECT 1 FROM projection_checkpoints LIMIT 1').get() !== undefined;
    const before = row?.identity ?? (anyCheckpoint ? UNRECORDED : identity);
    prepared<[string]>(db, 'INSERT OR REPLACE INTO read_model_store (id, identity) VALUES (1, ?)').run(identity);
    if (before === identity) return null;
    for (const projection of projections) checkpoints.reset(projection.name, 0);
    return before;
  })();
