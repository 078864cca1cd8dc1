import Database from 'better-sqlite3';

/** The read-model database handle. */
export type ReadModelDatabase = Database.Database;

/**
 * Opens (creating if needed) the read-model database. It can always be rebuilt from the events,
 * so it trades the last fsync for speed (WAL, synchronous=NORMAL); it is never corrupted by a crash.
 */
export const openReadModelDatabase = (path: string): ReadModelDatabase => {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
};
