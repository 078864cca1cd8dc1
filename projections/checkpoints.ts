import { type Position } from '../src/eventstore';
import { type ReadModelDatabase, prepared } from '../src/readmodel';

/** Where a projection stands: the last position it applied and the projection version that did it. */
export interface Checkpoint {
  version: number;
  position: Position | null;
}

/** Another writer moved the checkpoint under us: two runners share one read model, which must not be. */
class CheckpointConflictError extends Error {}

/** Every projection's checkpoint, kept in the read model beside the tables it describes (table `projection_checkpoints`). */
export interface CheckpointStore {
  /** A projection's checkpoint; a projection never run has version 0 and no position. */
  read(name: string): Checkpoint;
  /** Starts a projection over: the given version, nothing applied. */
  reset(name: string, version: number): void;
  /** Moves the checkpoint from `expected` to `next` (compare-and-set), or throws CheckpointConflictError if someone else moved it. */
  advance(name: string, expected: Position | null, next: Position): void;
}

interface CheckpointRow {
  version: number;
  commit_position: string | null;
  prepare_position: string | null;
}

const text = (position: Position | null): [string | null, string | null] =>
  position === null ? [null, null] : [position.commit.toString(), position.prepare.toString()];

/** The checkpoint store of a read-model database; creates its table if missing. */
export const checkpointStore = (db: ReadModelDatabase): CheckpointStore => {
  db.exec(`CREATE TABLE IF NOT EXISTS projection_checkpoints (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    commit_position TEXT,
    prepare_position TEXT
  ) STRICT`);
  return {
    read(name) {
      const row = prepared<[string], CheckpointRow>(
        db,
        'SELECT version, commit_position, prepare_position FROM projection_checkpoints WHERE name = ?',
      ).get(name);
      if (!row) return { version: 0, position: null };
      const { commit_position: commit, prepare_position: prepare } = row;
      return { version: row.version, position: commit === null || prepare === null ? null : { commit: BigInt(commit), prepare: BigInt(prepare) } };
    },
    reset(name, version) {
      prepared<[string, number, null, null]>(
        db,
        `INSERT INTO projection_checkpoints (name, version, commit_position, prepare_position) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET version = excluded.version, commit_position = excluded.commit_position,
           prepare_position = excluded.prepare_position`,
      ).run(name, version, null, null);
    },
    advance(name, expected, next) {
      const result = prepared<[string | null, string | null, string, string | null, string | null]>(
        db,
        `UPDATE projection_checkpoints SET commit_position = ?, prepare_position = ?
         WHERE name = ? AND commit_position IS ? AND prepare_position IS ?`,
      ).run(...text(next), name, ...text(expected));
      if (result.changes !== 1) {
        throw new CheckpointConflictError(`Checkpoint of projection ${name} was moved by another writer`);
      }
    },
  };
};

/** Reads a projection's checkpoint: for operators and tests; the runner keeps its own store. */
export const readCheckpoint = (db: ReadModelDatabase, name: string): Checkpoint => checkpointStore(db).read(name);
