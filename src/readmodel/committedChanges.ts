import { type AuditEntryView, type AuditFilter, type AuditRow, auditEntriesOfEvents } from './auditEntries';
import { type ClientRecord, type ClientView, readClientRecords } from './clients';
import { type ReadModelDatabase } from './database';

/** An audit entry just committed, with its tenant and a test of the audit trail's filter. */
export interface CommittedAuditEntry {
  tenantId: string;
  entry: AuditEntryView;
  /** Whether `auditTrail(filter)` lists this entry: the same conditions, read the same way. */
  matches(filter: AuditFilter): boolean;
}

/** A client as a change just committed left it; `deleted` when the change deleted it (its last settings are kept). */
export interface ChangedClient extends ClientView {
  deleted: boolean;
}

/**
 * Whether the audit trail's query (listAuditEntries) would list `row` for `filter`: the same
 * comparisons its SQL makes, on the same stored text (times as ISO 8601 strings, ids as stored).
 */
export const matchesAuditFilter = (row: AuditRow, filter: AuditFilter): boolean =>
  (!filter.clientId || row.client_id === filter.clientId.trim().toLowerCase()) &&
  (!filter.actorId || row.actor_id === filter.actorId) &&
  (!filter.actions || filter.actions.includes(row.action)) &&
  (!filter.from || row.occurred_at >= filter.from.toISOString()) &&
  (!filter.to || row.occurred_at < filter.to.toISOString());

/** The entries of these events, whatever their tenant, in the order recorded: what the live feed publishes, each to its tenant. */
export const committedAuditEntries = (db: ReadModelDatabase, eventIds: readonly string[]): CommittedAuditEntry[] =>
  auditEntriesOfEvents(db, eventIds).map(({ row, entry }) => ({
    tenantId: row.tenant_id,
    entry,
    matches: (filter) => matchesAuditFilter(row, filter),
  }));

const changedClientOf = (record: ClientRecord): ChangedClient => ({
  ...record.client,
  version: record.version,
  position: record.position,
  createdAt: new Date(record.createdAt),
  updatedAt: new Date(record.updatedAt),
  createdBy: record.createdBy,
  deleted: record.deleted,
});

/** These clients as the read model now holds them, deleted ones too, whatever their tenant (`tenantId` says whose). */
export const committedClients = (db: ReadModelDatabase, ids: readonly string[]): ChangedClient[] =>
  [...readClientRecords(db, ids).values()].map(changedClientOf);
