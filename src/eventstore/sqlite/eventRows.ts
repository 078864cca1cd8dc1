import type Database from 'better-sqlite3';
import { type JsonObject, type RecordedEvent } from '../eventStore';
import { type Position } from '../position';

/** The largest value SQLite stores in an INTEGER column. */
export const MAX_SQLITE_INTEGER = (1n << 63n) - 1n;

/** One row of the events table, integers read as bigint. */
export interface EventRow {
  position: bigint;
  event_id: string;
  stream_id: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
  created: bigint;
}

/** Where a recorded event sits. */
export interface EventPlace {
  stream_id: string;
  revision: bigint;
  position: bigint;
}

const COLUMNS = 'position, event_id, stream_id, revision, type, data, metadata, created';

/** Prepares every statement the store runs, once per handle. */
export const prepareStatements = (db: Database.Database) => ({
  insert: db.prepare<[string, string, bigint, string, string, string, bigint]>(
    'INSERT INTO events (event_id, stream_id, revision, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ),
  findEvent: db.prepare<[string], EventPlace>('SELECT stream_id, revision, position FROM events WHERE event_id = ?'),
  lastOfStream: db.prepare<[string], EventPlace>(
    'SELECT stream_id, revision, position FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
  ),
  readForwards: db.prepare<[string, bigint, bigint], EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
  ),
  readBackwards: db.prepare<[string, bigint, bigint], EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
  ),
  readAllAfter: db.prepare<[bigint, bigint], EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`,
  ),
  head: db.prepare<[], { position: bigint | null }>('SELECT MAX(position) AS position FROM events'),
});

/** The statements of one handle. */
export type Statements = ReturnType<typeof prepareStatements>;

/** The embedded store has one sequence, so commit and prepare are the same number. */
export const toPosition = (sequence: bigint): Position => ({ commit: sequence, prepare: sequence });

/** Turns a row into the port's recorded event. */
export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  type: row.type,
  data: JSON.parse(row.data) as JsonObject,
  metadata: JSON.parse(row.metadata) as JsonObject,
  streamId: row.stream_id,
  revision: row.revision,
  position: toPosition(row.position),
  created: new Date(Number(row.created)),
});
