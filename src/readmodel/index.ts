export { type AuditEntryView, type AuditFilter, listAuditEntries } from './auditQueries';
export { type ClientFilter, type ClientOrder, type ClientView, getClient, listClients } from './clientQueries';
export { openReadModelDatabase, type ReadModelDatabase } from './database';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, type PageArgs } from './pagination';
