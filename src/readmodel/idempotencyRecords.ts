import Database from 'better-sqlite3';

/** Whose key it is: a key is only ever compared with the same tenant's and principal's keys. */
export interface IdempotencyScope {
  tenantId: string;
  principalId: string;
  key: string;
}

/** An answer kept for a key, as it went out. */
export interface StoredAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** What is known of a key: its request's fingerprint, and its answer once the first attempt has one. */
export type IdempotencyRecord =
  | { state: 'running'; fingerprint: string }
  | { state: 'done'; fingerprint: string; answer: StoredAnswer };

/**
 * The outcomes of requests sent with an `Idempotency-Key` (file `idempotency.db` in DATA_DIR),
 * kept until they expire. Not rebuilt from the events: it is the memory of what was answered.
 */
export interface IdempotencyRecords {
  /** The unexpired record of a key, or null. */
  find(scope: IdempotencyScope, now: Date): IdempotencyRecord | null;
  /** Marks a key as running its first attempt; false when an unexpired record of it exists already. */
  begin(scope: IdempotencyScope, fingerprint: string, now: Date, expiresAt: Date): boolean;
  /** Keeps the first attempt's answer. */
  complete(scope: IdempotencyScope, answer: StoredAnswer): void;
  /** Forgets a running attempt whose answer is not to be kept (it failed for a reason a retry may not meet). */
  abandon(scope: IdempotencyScope): void;
  close(): void;
}

interface Row {
  fingerprint: string;
  state: 'running' | 'done';
  status: number | null;
  content_type: string | null;
  body: string | null;
}

/**
 * Opens (creating if needed) the records at `file`. Attempts left running by a process that
 * stopped are forgotten on open (one server owns a data directory), so their retries run again.
 */
export const openIdempotencyRecords = (file: string): IdempotencyRecords => {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Safe against a crash of the process; a record lost to a power cut only lets a retry run again,
  // which the derived event ids make safe (the command finds its own events).
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS idempotency_keys (
      tenant_id TEXT NOT NULL,
      principal_id TEXT NOT NULL,
      key TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('running', 'done')),
      status INTEGER,
      content_type TEXT,
      body TEXT,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      PRIMARY KEY (tenant_id, principal_id, key)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS idempotency_by_expiry ON idempotency_keys (expires_at);
    DELETE FROM idempotency_keys WHERE state = 'running';
  `);
  const find = db.prepare<[string, string, string, number], Row>(
    'SELECT fingerprint, state, status, content_type, body FROM idempotency_keys WHERE tenant_id = ? AND principal_id = ? AND key = ? AND expires_at > ?',
  );
  const purge = db.prepare<[number]>('DELETE FROM idempotency_keys WHERE expires_at <= ?');
  const insert = db.prepare<[string, string, string, string, number, number]>(
    `INSERT INTO idempotency_keys (tenant_id, principal_id, key, fingerprint, state, created_at, expires_at)
     VALUES (?, ?, ?, ?, 'running', ?, ?) ON CONFLICT DO NOTHING`,
  );
  const complete = db.prepare<[number, string, string, string, string, string]>(
    `UPDATE idempotency_keys SET state = 'done', status = ?, content_type = ?, body = ?
     WHERE tenant_id = ? AND principal_id = ? AND key = ? AND state = 'running'`,
  );
  const abandon = db.prepare<[string, string, string]>(
    "DELETE FROM idempotency_keys WHERE tenant_id = ? AND principal_id = ? AND key = ? AND state = 'running'",
  );
  const begin = db.transaction((scope: IdempotencyScope, fingerprint: string, now: number, expiresAt: number) => {
    purge.run(now);
    return insert.run(scope.tenantId, scope.principalId, scope.key, fingerprint, now, expiresAt).changes === 1;
  });
  return {
    find({ tenantId, principalId, key }, now) {
      const row = find.get(tenantId, principalId, key, now.getTime());
      if (!row) return null;
      if (row.state === 'running') return { state: 'running', fingerprint: row.fingerprint };
      return { state: 'done', fingerprint: row.fingerprint, answer: { status: row.status!, contentType: row.content_type!, body: row.body! } };
    },
    begin: (scope, fingerprint, now, expiresAt) => begin(scope, fingerprint, now.getTime(), expiresAt.getTime()),
    complete({ tenantId, principalId, key }, answer) {
      complete.run(answer.status, answer.contentType, answer.body, tenantId, principalId, key);
    },
    abandon({ tenantId, principalId, key }) {
      abandon.run(tenantId, principalId, key);
    },
    close: () => db.close(),
  };
};
