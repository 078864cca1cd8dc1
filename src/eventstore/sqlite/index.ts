export { getSqliteEventStore, type SqliteEventStoreOptions } from './sqliteEventStore';
