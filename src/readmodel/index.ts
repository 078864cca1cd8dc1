export {
  type AuditEntryView,
  type AuditFilter,
  type AuditRow,
  auditRowByEventId,
  auditRowsInLeafOrder,
  auditRowsOfSlice,
  createAuditEntryTable,
  dropAuditEntryTable,
  type FieldChange,
  insertAuditEntry,
  listAuditEntries,
  type LogSlice,
  logEntryOf,
  recordedAuditEventIds,
} from './auditEntries';
export {
  appendAuditLeaf,
  type AuditLogAppender,
  auditLogAppender,
  auditLogSize,
  auditLogSubtrees,
  createAuditLogTable,
  dropAuditLogTable,
} from './auditLog';
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
  findClientInAnyTenant,
  getClient,
  listClients,
  readClientRecords,
  searchKey,
  updateClientTags,
  writeClientRecord,
} from './clients';
export { openReadModelDatabase, prepared, type ReadModelDatabase } from './database';
export { openSignedHeadStore, type SignedHeadStore } from './signedHeads';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, type PageArgs } from './pagination';
export { createReadModel, type ReadModel } from './readModel';
