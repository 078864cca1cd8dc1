import path from 'node:path';
import { type EventStoreConfig } from './config';
import { type EventStore } from './eventstore';
import { getEventStoreDBEventStore } from './eventstore/eventstoredb';
import { type SqliteEventStoreOptions, getSqliteEventStore } from './eventstore/sqlite';

/** The embedded store's file inside the data directory. */
export const sqliteEventsFile = (dataDir: string): string => path.join(dataDir, 'events.db');

/** Opens the configured event store; `sqlite` adds options of the embedded one. */
export const openEventStore = (config: EventStoreConfig, dataDir: string, sqlite: Omit<SqliteEventStoreOptions, 'path'> = {}): EventStore =>
  config.kind === 'sqlite'
    ? getSqliteEventStore({ ...sqlite, path: sqliteEventsFile(dataDir) })
    : getEventStoreDBEventStore({ connectionString: config.connectionString, deadlineMs: config.deadlineMs });

/**
 * Which store the events come from, as a read model records it: the embedded store, or
 * EventStoreDB at these hosts (no credentials, no settings). Another identity means another log.
 */
export const eventStoreIdentity = (config: EventStoreConfig): string => {
  if (config.kind === 'sqlite') return 'sqlite';
  const hosts = /^esdb(\+discover)?:\/\/(?:[^@/?#]*@)?([^/?#]+)/i.exec(config.connectionString);
  return `eventstoredb:${hosts?.[1] ? 'discover:' : ''}${(hosts?.[2] ?? '').toLowerCase()}`;
};

/** Where the events are, for people: never shows a password the connection string may hold. */
export const describeEventStore = (config: EventStoreConfig, dataDir: string): string => {
  if (config.kind === 'sqlite') return `embedded SQLite event store, ${sqliteEventsFile(dataDir)}`;
  const withoutCredentials = config.connectionString.replace(/^(esdb(?:\+discover)?:\/\/)[^@/?#]*@/i, '$1');
  return `EventStoreDB, ${withoutCredentials}`;
};
