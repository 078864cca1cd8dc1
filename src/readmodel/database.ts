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
