import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../errors';

/** Each entry moves the file from schema version `index` to `index + 1`; append, never edit. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     position INTEGER PRIMARY KEY AUTOINCREMENT,
     event_id TEXT NOT NULL UNIQUE,
     stream_id TEXT NOT NULL,
     revision INTEGER NOT NULL CHECK (revision >= 0),
     type TEXT NOT NULL,
     data TEXT NOT NULL,
     metadata TEXT NOT NULL,
     created INTEGER NOT NULL,
     UNIQUE (stream_id, revision)
   ) STRICT;
   CREATE TRIGGER events_are_immutable BEFORE UPDATE ON events
     BEGIN SELECT RAISE(ABORT, 'recorded events are immutable'); END;
   CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
     BEGIN SELECT RAISE(ABORT, 'recorded events are never deleted'); END;`,
];

/** The schema version this build writes and reads (`PRAGMA user_version`). */
export const SCHEMA_VERSION = MIGRATIONS.length;

const migrate = (db: Database.Database): void => {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) {
    throw new StoreUnavailableError(
      `The event store file has schema version ${version}; this build knows versions up to ${SCHEMA_VERSION}`,
    );
  }
  if (version === SCHEMA_VERSION) return;
  for (const migration of MIGRATIONS.slice(version)) db.exec(migration);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
};

/**
 * Opens (creating when absent) an event store file: WAL journaling, a full fsync on every commit
 * (unless a bulk load asks for `NORMAL`),
 * a busy timeout so several handles and processes can share the file, integers read as bigint,
 * and the schema migrated to `SCHEMA_VERSION` under a write lock.
 */
export const openEventStoreDatabase = (path: string, busyTimeoutMs: number, synchronous: 'FULL' | 'NORMAL' = 'FULL'): Database.Database => {
  const db = new Database(path, { timeout: busyTimeoutMs });
  try {
    db.defaultSafeIntegers(true);
    const journalMode = db.pragma('journal_mode = WAL', { simple: true });
    if (journalMode !== 'wal' && !db.memory) {
      throw new StoreUnavailableError(
        `The event store needs WAL journaling but the file is in ${String(journalMode)} mode`,
      );
    }
    db.pragma(`synchronous = ${synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    db.transaction(() => migrate(db)).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};
