import { type AuditEntryView, type AuditFilter, listAuditEntries } from './auditEntries';
import { type ClientFilter, type ClientOrder, type ClientView, countClientsCreatedBy, getClient, listClients } from './clients';
import { type ChangedClient, type CommittedAuditEntry, committedAuditEntries, committedClients } from './committedChanges';
import { type ReadModelDatabase } from './database';
import { type Page, type PageArgs } from './pagination';

/** The queries the GraphQL layer may run over the read model, every one scoped to a tenant; it never sees the database. */
export interface ReadModel {
  /** One client of the tenant; null when absent, deleted or another tenant's. */
  getClient(tenantId: string, id: string): ClientView | null;
  /** A page of the tenant's clients, filtered and ordered. */
  listClients(tenantId: string, filter: ClientFilter, order: ClientOrder, args: PageArgs): Page<ClientView>;
  /** How many of the tenant's live clients this actor created. */
  countClientsCreatedBy(tenantId: string, actorId: string): number;
  /** A page of the tenant's audit trail, newest first. */
  listAuditEntries(tenantId: string, filter: AuditFilter, args: Pick<PageArgs, 'first' | 'after'>): Page<AuditEntryView>;
  /** The entries of these events, every tenant's: only for the live feed, which hands each to its own tenant. */
  committedAuditEntries(eventIds: readonly string[]): CommittedAuditEntry[];
  /** These clients as they now are, deleted ones too, every tenant's: only for the live feed, which hands each to its own tenant. */
  committedClients(ids: readonly string[]): ChangedClient[];
}

/** The read model's named queries over one database handle. */
export const createReadModel = (db: ReadModelDatabase): ReadModel => ({
  getClient: (tenantId, id) => getClient(db, tenantId, id),
  listClients: (tenantId, filter, order, args) => listClients(db, tenantId, filter, order, args),
  countClientsCreatedBy: (tenantId, actorId) => countClientsCreatedBy(db, tenantId, actorId),
  listAuditEntries: (tenantId, filter, args) => listAuditEntries(db, tenantId, filter, args),
  committedAuditEntries: (eventIds) => committedAuditEntries(db, eventIds),
  committedClients: (ids) => committedClients(db, ids),
});
