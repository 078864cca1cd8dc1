export {
  type AuditEntryView,
  type AuditFilter,
  type AuditRow,
  createAuditEntryTable,
  dropAuditEntryTable,
  type FieldChange,
  insertAuditEntry,
  listAuditEntries,
  recordedAuditEventIds,
} from './auditEntries';
export {
  createAuditClientStateTable,
  dropAuditClientStateTable,
  readAuditClientStates,
  writeAuditClientState,
} from './auditClientStates';
export {
  type ChangedClient,
  type CommittedAuditEntry,
  committedAuditEntries,
  committedClients,
  matchesAuditFilter,
} from './committedChanges';
export {
  type ClientFilter,
  type ClientOrder,
  type ClientRecord,
  type ClientView,
  createClientTables,
  dropClientTables,
  getClient,
  listClients,
  readClientRecords,
  searchKey,
  updateClientTags,
  writeClientRecord,
} from './clients';
export { openReadModelDatabase, prepared, type ReadModelDatabase } from './database';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, type PageArgs } from './pagination';
export { createReadModel, type ReadModel } from './readModel';
