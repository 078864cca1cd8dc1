import { type AuditLogEntry, type LogChange } from '../audit/logEntry';
import { type Actor } from '../domain/client';
import { type JsonValue } from '../eventstore';
import { type ReadModelDatabase, prepared, rowsWithKeyIn } from './database';
import { keysetPage } from './keyset';
import { type Page, type PageArgs, resolvePage } from './pagination';

/** One field an event changed, with its JSON value before and after. */
export interface FieldChange {
  field: string;
  before: JsonValue;
  after: JsonValue;
}

/** A row of the `audit_entries` table: one per recorded client event, numbered by `seq` without gaps. */
export interface AuditRow {
  seq: number;
  /** The entry's place in its tenant's audit log, from 0 without gaps. */
  leaf_index: number;
  /** Lowercase hex of the entry's leaf hash (src/audit/logEntry.ts). */
  leaf_hash: string;
  event_id: string;
  position: string;
  tenant_id: string;
  client_id: string;
  client_name: string;
  /** The client's version right after this event. */
  version: number;
  action: string;
  occurred_at: string;
  actor_id: string;
  actor_name: string | null;
  reason: string | null;
  operation_id: string;
  correlation_id: string;
  changes: string;
}

/** One entry of the audit trail: one recorded event, told as who changed what, when and why. */
export interface AuditEntryView {
  id: string;
  position: string;
  leafIndex: number;
  leafHash: string;
  occurredAt: Date;
  action: string;
  clientId: string;
  clientName: string;
  version: number;
  actor: Actor;
  reason: string | null;
  operationId: string;
  correlationId: string;
  changes: FieldChange[];
}

/** Which audit entries to list. */
export interface AuditFilter {
  clientId?: string | null;
  actorId?: string | null;
  actions?: readonly string[] | null;
  /** Entries at or after this time. */
  from?: Date | null;
  /** Entries before this time. */
  to?: Date | null;
  /**
   * Entries up to and including this event's (a client's history as it was then); while the
   * event has no entry yet, every entry there is.
   */
  throughEventId?: string | null;
}

/** Creates the `audit_entries` table and its indexes if missing. */
export const createAuditEntryTable = (db: ReadModelDatabase): void => {
  db.exec(`
    CREATE TABLE IF NOT EXISTS audit_entries (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      leaf_index INTEGER NOT NULL,
      leaf_hash TEXT NOT NULL,
      event_id TEXT NOT NULL UNIQUE,
      position TEXT NOT NULL,
      tenant_id TEXT NOT NULL,
      client_id TEXT NOT NULL,
      client_name TEXT NOT NULL,
      version INTEGER NOT NULL,
      action TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      actor_id TEXT NOT NULL,
      actor_name TEXT,
      reason TEXT,
      operation_id TEXT NOT NULL,
      correlation_id TEXT NOT NULL,
      changes TEXT NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS audit_by_tenant ON audit_entries (tenant_id, seq);
    CREATE UNIQUE INDEX IF NOT EXISTS audit_by_leaf ON audit_entries (tenant_id, leaf_index);
    CREATE INDEX IF NOT EXISTS audit_by_client ON audit_entries (tenant_id, client_id, seq);
    CREATE INDEX IF NOT EXISTS audit_by_client_leaf ON audit_entries (tenant_id, client_id, leaf_index);
    CREATE INDEX IF NOT EXISTS audit_by_actor ON audit_entries (tenant_id, actor_id, seq);
    CREATE INDEX IF NOT EXISTS audit_by_time ON audit_entries (tenant_id, occurred_at);
  `);
};

/** Drops the `audit_entries` table, for a rebuild. */
export const dropAuditEntryTable = (db: ReadModelDatabase): void => {
  db.exec('DROP TABLE IF EXISTS audit_entries');
};

/** Which of these event ids already have an entry: one query for a whole batch. */
export const recordedAuditEventIds = (db: ReadModelDatabase, eventIds: readonly string[]): Set<string> => {
  const rows = rowsWithKeyIn<{ event_id: string }>(db, 'SELECT event_id FROM audit_entries', 'event_id', eventIds);
  return new Set(rows.map((row) => row.event_id));
};

/** Appends an entry; `seq` is the next number. */
export const insertAuditEntry = (db: ReadModelDatabase, entry: Omit<AuditRow, 'seq'>): void => {
  prepared<Omit<AuditRow, 'seq'>>(
    db,
    `INSERT INTO audit_entries (leaf_index, leaf_hash, event_id, position, tenant_id, client_id, client_name, version, action,
       occurred_at, actor_id, actor_name, reason, operation_id, correlation_id, changes)
     VALUES (@leaf_index, @leaf_hash, @event_id, @position, @tenant_id, @client_id, @client_name, @version, @action,
       @occurred_at, @actor_id, @actor_name, @reason, @operation_id, @correlation_id, @changes)`,
  ).run(entry);
};

/** The audit log's entry for a row: what its leaf hash covers (`changes` given when already parsed). */
export const logEntryOf = (
  row: Omit<AuditRow, 'seq' | 'leaf_hash' | 'position'>,
  changes: LogChange[] = JSON.parse(row.changes) as LogChange[],
): AuditLogEntry => ({
  leafIndex: row.leaf_index,
  tenantId: row.tenant_id,
  eventId: row.event_id,
  action: row.action,
  clientId: row.client_id,
  clientName: row.client_name,
  version: row.version,
  actor: { id: row.actor_id, name: row.actor_name },
  occurredAt: new Date(row.occurred_at).toISOString(),
  reason: row.reason,
  operationId: row.operation_id,
  correlationId: row.correlation_id,
  changes,
});

const toView = (row: AuditRow): AuditEntryView => ({
  id: row.event_id,
  position: row.position,
  leafIndex: row.leaf_index,
  leafHash: row.leaf_hash,
  occurredAt: new Date(row.occurred_at),
  action: row.action,
  clientId: row.client_id,
  clientName: row.client_name,
  version: row.version,
  actor: { id: row.actor_id, name: row.actor_name },
  reason: row.reason,
  operationId: row.operation_id,
  correlationId: row.correlation_id,
  changes: JSON.parse(row.changes) as FieldChange[],
});

/** Adds the client and time-range conditions both the audit trail and the log's exports filter by. */
const whereClientAndTime = (filter: Pick<AuditFilter, 'clientId' | 'from' | 'to'>, where: string[], params: unknown[]): void => {
  if (filter.clientId) {
    where.push('client_id = ?');
    params.push(filter.clientId.trim().toLowerCase());
  }
  if (filter.from) {
    where.push('occurred_at >= ?');
    params.push(filter.from.toISOString());
  }
  if (filter.to) {
    where.push('occurred_at < ?');
    params.push(filter.to.toISOString());
  }
};

/** A page of the tenant's audit trail, newest first. */
export const listAuditEntries = (
  db: ReadModelDatabase,
  tenantId: string,
  filter: AuditFilter,
  args: Pick<PageArgs, 'first' | 'after'>,
): Page<AuditEntryView> => {
  const where = ['tenant_id = ?'];
  const params: unknown[] = [tenantId];
  whereClientAndTime(filter, where, params);
  if (filter.actorId) {
    where.push('actor_id = ?');
    params.push(filter.actorId);
  }
  if (filter.actions) {
    const actions = [...new Set(filter.actions)];
    where.push(`action IN (${actions.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...actions);
  }
  if (filter.throughEventId) {
    where.push('seq <= coalesce((SELECT seq FROM audit_entries WHERE event_id = ?), seq)');
    params.push(filter.throughEventId);
  }
  // Paged by the tenant's own leaf index (in the same order as seq within a tenant): a cursor
  // shows no count of other tenants' entries.
  const kind = 'audit-leaf';
  return keysetPage<AuditRow, AuditEntryView>(
    db,
    {
      table: 'audit_entries',
      where,
      params,
      key: ['leaf_index', 'leaf_index'],
      descending: true,
      kind,
      keyOf: (row) => [row.leaf_index, row.leaf_index],
      toNode: toView,
    },
    resolvePage(args, kind, ['integer', 'integer']),
  );
};

/** The tenant's entry for an event id; null when absent or another tenant's. */
export const auditRowByEventId = (db: ReadModelDatabase, tenantId: string, eventId: string): AuditRow | null =>
  prepared<[string, string], AuditRow>(db, 'SELECT * FROM audit_entries WHERE event_id = ? AND tenant_id = ?').get(eventId, tenantId) ??
  null;

/** Which entries of the log an export takes: a client, a time range, leaves below a tree size. */
export interface LogSlice {
  tenantId: string;
  /** Only leaves below this index: the size of the head the export is cut at. */
  treeSize: number;
  clientId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

/** Every entry of the slice in leaf order, read `pageSize` at a time so memory stays constant whatever the log's size. */
export function* auditRowsInLeafOrder(db: ReadModelDatabase, slice: LogSlice, pageSize = 1000): Generator<AuditRow> {
  for (let next = 0; ; ) {
    const rows = auditRowsOfSlice(db, slice, next, pageSize);
    yield* rows;
    if (rows.length < pageSize) return;
    next = rows[rows.length - 1].leaf_index + 1;
  }
}

/** Up to `limit` entries of the slice with leaf index at least `fromLeaf`, in leaf order: one page of an export. */
export const auditRowsOfSlice = (db: ReadModelDatabase, slice: LogSlice, fromLeaf: number, limit: number): AuditRow[] => {
  const where = ['tenant_id = ?', 'leaf_index >= ?', 'leaf_index < ?'];
  const params: unknown[] = [slice.tenantId, fromLeaf, slice.treeSize];
  whereClientAndTime(slice, where, params);
  return prepared<unknown[], AuditRow>(
    db,
    `SELECT * FROM audit_entries WHERE ${where.join(' AND ')} ORDER BY tenant_id, leaf_index LIMIT ${Math.trunc(limit)}`,
  ).all(...params);
};

/** The entries of these events whatever their tenant, in the order they were recorded, each with its row (see committedChanges.ts). */
export const auditEntriesOfEvents = (db: ReadModelDatabase, eventIds: readonly string[]): { row: AuditRow; entry: AuditEntryView }[] =>
  rowsWithKeyIn<AuditRow>(db, 'SELECT * FROM audit_entries', 'event_id', eventIds)
    .sort((a, b) => a.seq - b.seq)
    .map((row) => ({ row, entry: toView(row) }));
