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
  event_id: string;
  position: string;
  tenant_id: string;
  client_id: string;
  client_name: string;
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
  occurredAt: Date;
  action: string;
  clientId: string;
  clientName: string;
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
}

/** Creates the `audit_entries` table and its indexes if missing. */
export const createAuditEntryTable = (db: ReadModelDatabase): void => {
  db.exec(`
    CREATE TABLE IF NOT EXISTS audit_entries (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT NOT NULL UNIQUE,
      position TEXT NOT NULL,
      tenant_id TEXT NOT NULL,
      client_id TEXT NOT NULL,
      client_name TEXT NOT NULL,
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
    CREATE INDEX IF NOT EXISTS audit_by_client ON audit_entries (tenant_id, client_id, seq);
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
    `INSERT INTO audit_entries (event_id, position, tenant_id, client_id, client_name, action, occurred_at,
       actor_id, actor_name, reason, operation_id, correlation_id, changes)
     VALUES (@event_id, @position, @tenant_id, @client_id, @client_name, @action, @occurred_at,
       @actor_id, @actor_name, @reason, @operation_id, @correlation_id, @changes)`,
  ).run(entry);
};

const toView = (row: AuditRow): AuditEntryView => ({
  id: row.event_id,
  position: row.position,
  occurredAt: new Date(row.occurred_at),
  action: row.action,
  clientId: row.client_id,
  clientName: row.client_name,
  actor: { id: row.actor_id, name: row.actor_name },
  reason: row.reason,
  operationId: row.operation_id,
  correlationId: row.correlation_id,
  changes: JSON.parse(row.changes) as FieldChange[],
});

/** A page of the tenant's audit trail, newest first. */
export const listAuditEntries = (
  db: ReadModelDatabase,
  tenantId: string,
  filter: AuditFilter,
  args: Pick<PageArgs, 'first' | 'after'>,
): Page<AuditEntryView> => {
  const where = ['tenant_id = ?'];
  const params: unknown[] = [tenantId];
  if (filter.clientId) {
    where.push('client_id = ?');
    params.push(filter.clientId.trim().toLowerCase());
  }
  if (filter.actorId) {
    where.push('actor_id = ?');
    params.push(filter.actorId);
  }
  if (filter.actions) {
    const actions = [...new Set(filter.actions)];
    where.push(`action IN (${actions.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...actions);
  }
  if (filter.from) {
    where.push('occurred_at >= ?');
    params.push(filter.from.toISOString());
  }
  if (filter.to) {
    where.push('occurred_at < ?');
    params.push(filter.to.toISOString());
  }
  const kind = 'audit';
  return keysetPage<AuditRow, AuditEntryView>(
    db,
    {
      table: 'audit_entries',
      where,
      params,
      key: ['seq', 'seq'],
      descending: true,
      kind,
      keyOf: (row) => [row.seq, row.seq],
      toNode: toView,
    },
    resolvePage(args, kind, ['integer', 'integer']),
  );
};

/** The entries of these events whatever their tenant, in the order they were recorded, each with its row (see committedChanges.ts). */
export const auditEntriesOfEvents = (db: ReadModelDatabase, eventIds: readonly string[]): { row: AuditRow; entry: AuditEntryView }[] =>
  rowsWithKeyIn<AuditRow>(db, 'SELECT * FROM audit_entries', 'event_id', eventIds)
    .sort((a, b) => a.seq - b.seq)
    .map((row) => ({ row, entry: toView(row) }));
