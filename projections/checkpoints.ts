import { type Database } from 'better-sqlite3';
import { type Position } from '../src/eventstore';
import { preparedFor } from './projection';

/** Where a projection stands: the last position it applied and the projection version that did it. */
export interface Checkpoint {
  version: number;
  position: Position | null;
}

/** Another writer moved the checkpoint under us: two runners share one read model, which must not be. */
export class CheckpointConflictError extends Error {}

interface CheckpointRow {
  version: number;
  commit_position: string | null;
  prepare_position: string | null;
}

/** Creates the checkpoint table if missing. */
export const initCheckpoints = (db: Database): void => {
  db.exec(`CREATE TABLE IF NOT EXISTS projection_checkpoints (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    commit_position TEXT,
    prepare_position TEXT
  ) STRICT`);
};

const statements = preparedFor((db) => ({
  read: db.prepare<[string], CheckpointRow>(
    'SELECT version, commit_position, prepare_position FROM projection_checkpoints WHERE name = ?',
  ),
  upsert: db.prepare<[string, number, string | null, string | null]>(
    `INSERT INTO projection_checkpoints (name, version, commit_position, prepare_position) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET version = excluded.version, commit_position = excluded.commit_position,
       prepare_position = excluded.prepare_position`,
  ),
  advance: db.prepare<[string, string, string, string | null, string | null]>(
    `UPDATE projection_checkpoints SET commit_position = ?, prepare_position = ?
     WHERE name = ? AND commit_position IS ? AND prepare_position IS ?`,
  ),
}));

/** Reads a projection's checkpoint; a projection never run has version 0 and no position. */
export const readCheckpoint = (db: Database, name: string): Checkpoint => {
  const row = statements(db).read.get(name);
  if (!row) return { version: 0, position: null };
  return {
    version: row.version,
    position:
      row.commit_position === null || row.prepare_position === null
        ? null
        : { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) },
  };
};

/** Starts a projection over: the given version, nothing applied. */
export const resetCheckpoint = (db: Database, name: string, version: number): void => {
  statements(db).upsert.run(name, version, null, null);
};

/** Moves the checkpoint from `expected` to `next`, or throws if someone else moved it. */
export const advanceCheckpoint = (db: Database, name: string, expected: Position | null, next: Position): void => {
  const result = statements(db).advance.run(
    next.commit.toString(),
    next.prepare.toString(),
    name,
    expected === null ? null : expected.commit.toString(),
    expected === null ? null : expected.prepare.toString(),
  );
  if (result.changes !== 1) {
    throw new CheckpointConflictError(`Checkpoint of projection ${name} was moved by another writer`);
  }
};
