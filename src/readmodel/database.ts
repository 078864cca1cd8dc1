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

const statementCache = new WeakMap<ReadModelDatabase, Map<string, Database.Statement>>();

/**
 * The prepared statement for `sql` on `db`, prepared once per handle and reused: the one
 * statement cache of the read model, for its queries, its writes and the projections' checkpoints.
 */
export const prepared = <Params extends unknown[] | object = unknown[], Row = unknown>(
  db: ReadModelDatabase,
  sql: string,
): Database.Statement<Params, Row> => {
  let statements = statementCache.get(db);
  if (!statements) {
    statements = new Map();
    statementCache.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement as Database.Statement<Params, Row>;
};

/**
 * The rows `select` finds whose `column` is one of `keys`, in one query. A single key (the live
 * path: a batch of one event) is looked up with `= ?`; more are passed as one JSON array.
 */
export const rowsWithKeyIn = <Row>(db: ReadModelDatabase, select: string, column: string, keys: readonly string[]): Row[] => {
  if (keys.length === 0) return [];
  if (keys.length === 1) return prepared<[string], Row>(db, `${select} WHERE ${column} = ?`).all(keys[0]);
  return prepared<[string], Row>(db, `${select} WHERE ${column} IN (SELECT value FROM json_each(?))`).all(JSON.stringify(keys));
};
