export { getSqliteEventStore, type SqliteEventStoreOptions } from './sqliteEventStore';
export { NotAnEventStoreError, backupEventStoreFile, restoreEventStoreFile, type EventStoreFileSummary } from './backup';
