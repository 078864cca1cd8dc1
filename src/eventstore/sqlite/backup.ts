import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { SCHEMA_VERSION } from './schema';

/** What a backup or a restore copied: how many events, and the last one's position. */
export interface EventStoreFileSummary {
  events: number;
  lastPosition: number | null;
}

/** A file that is not an event store this build reads; the message says what is wrong. */
export class NotAnEventStoreError extends Error {
  constructor(file: string, why: string) {
    super(`${file} is not an event store: ${why}`);
    this.name = 'NotAnEventStoreError';
  }
}

const EVENT_COLUMNS = ['position', 'event_id', 'stream_id', 'revision', 'type', 'data', 'metadata', 'created'];

/** Every page in one step: the copy is one read transaction, one snapshot, whatever the server writes meanwhile. */
const ALL_PAGES = 0x7fffffff;

const summaryOf = (db: Database.Database): EventStoreFileSummary => {
  const row = db.prepare('SELECT count(*) AS events, max(position) AS lastPosition FROM events').get() as EventStoreFileSummary;
  return { events: row.events, lastPosition: row.lastPosition };
};

/** Opens `file` read-only and checks it holds an intact event store of a schema version this build reads. */
const openChecked = (file: string): Database.Database => {
  if (!existsSync(file)) throw new NotAnEventStoreError(file, 'there is no such file');
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('schema_version');
  } catch (error) {
    throw new NotAnEventStoreError(file, `SQLite cannot open it (${(error as Error).message})`);
  }
  try {
    const version = Number(db.pragma('user_version', { simple: true }));
    const columns = (db.pragma('table_info(events)') as { name: string }[]).map((column) => column.name);
    if (EVENT_COLUMNS.some((name) => !columns.includes(name))) throw new NotAnEventStoreError(file, 'it has no events table');
    if (version < 1 || version > SCHEMA_VERSION) {
      throw new NotAnEventStoreError(file, `its schema version is ${version}; this build reads 1 to ${SCHEMA_VERSION}`);
    }
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new NotAnEventStoreError(file, `SQLite's quick_check found damage (${String(check)})`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

/** Copies `source` into `target` with SQLite's backup API, through a partial file renamed into place when whole. */
const copyInto = async (source: Database.Database, target: string): Promise<void> => {
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  try {
    await source.backup(partial, { progress: () => ALL_PAGES });
    renameSync(partial, target);
  } finally {
    rmSync(partial, { force: true });
  }
};

/**
 * Takes a consistent online backup of the event store file `source` into the new file `target`:
 * SQLite's backup API copies one snapshot while the server keeps appending, so the backup holds
 * every event committed before it started and no part of a later one.
 */
export const backupEventStoreFile = async (source: string, target: string): Promise<EventStoreFileSummary> => {
  if (existsSync(target)) throw new Error(`${target} already exists; back up to a new file`);
  const db = openChecked(source);
  try {
    await copyInto(db, target);
  } finally {
    db.close();
  }
  const copy = openChecked(target);
  try {
    return summaryOf(copy);
  } finally {
    copy.close();
  }
};

/**
 * Puts the backup `backup` in place of the event store file `target` (whose server is stopped):
 * the backup is checked first, and the file it replaces is kept beside it, renamed `replacedAs`.
 */
export const restoreEventStoreFile = async (backup: string, target: string, replacedAs: string): Promise<EventStoreFileSummary> => {
  const db = openChecked(backup);
  try {
    const summary = summaryOf(db);
    const restoring = `${target}.restoring`;
    await copyInto(db, restoring);
    if (existsSync(target)) {
      // Closing the last handle folds the write-ahead log into the file, so the kept copy is whole.
      new Database(target).close();
      renameSync(target, replacedAs);
    }
    for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
    renameSync(restoring, target);
    return summary;
  } finally {
    db.close();
  }
};
