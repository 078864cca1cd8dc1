import { type AuditRow, type FieldChange } from '../../projections';
import { type Actor } from '../domain/client';
import { type ReadModelDatabase } from './database';
import { keysetPage } from './keyset';
import { type Page, type PageArgs, resolvePage } from './pagination';

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
