import { type ClientState } from '../domain/client';
import { type ReadModelDatabase, prepared, rowsWithKeyIn } from './database';

/*
 * The audit trail's own state store, table `audit_client_states`: for every client, the state
 * (as JSON) its events had left it in after the last event the audit trail applied.
 *
 * Why it exists: an audit entry tells what an event changed (each field before and after), so
 * the audit projection needs every client's state just before each event. It cannot borrow the
 * `clients` table: each projection keeps its own checkpoint, and one may be rebuilt (after a
 * version bump) while the other is ahead. So the audit trail folds the events itself and keeps
 * the fold here, written in the same transaction as its entries and checkpoint. Nothing queries
 * it; it is dropped and rebuilt together with `audit_entries`. Batches read each client's state
 * once and write it once.
 */

/** Creates the `audit_client_states` table if missing. */
export const createAuditClientStateTable = (db: ReadModelDatabase): void => {
  db.exec('CREATE TABLE IF NOT EXISTS audit_client_states (client_id TEXT PRIMARY KEY, state TEXT NOT NULL) STRICT');
};

/** Drops the `audit_client_states` table, for a rebuild. */
export const dropAuditClientStateTable = (db: ReadModelDatabase): void => {
  db.exec('DROP TABLE IF EXISTS audit_client_states');
};

/** The stored states of these clients: one query for a whole batch; a client with none is absent from the map. */
export const readAuditClientStates = (db: ReadModelDatabase, clientIds: readonly string[]): Map<string, ClientState> => {
  const rows = rowsWithKeyIn<{ client_id: string; state: string }>(
    db,
    'SELECT client_id, state FROM audit_client_states',
    'client_id',
    clientIds,
  );
  return new Map(rows.map((row) => [row.client_id, JSON.parse(row.state) as ClientState]));
};

/** Stores a client's state after the events applied so far. */
export const writeAuditClientState = (db: ReadModelDatabase, clientId: string, state: ClientState): void => {
  prepared<[string, string]>(
    db,
    'INSERT INTO audit_client_states (client_id, state) VALUES (?, ?) ON CONFLICT (client_id) DO UPDATE SET state = excluded.state',
  ).run(clientId, JSON.stringify(state));
};
