import path from 'node:path';
import { type EventStoreConfig } from './config';
import { type EventStore } from './eventstore';
import { getEventStoreDBEventStore } from './eventstore/eventstoredb';
import { getSqliteEventStore } from './eventstore/sqlite';

/** The embedded store's file inside the data directory. */
export const sqliteEventsFile = (dataDir: string): string => path.join(dataDir, 'events.db');

/** Opens the configured event store. */
export const openEventStore = (config: EventStoreConfig, dataDir: string): EventStore =>
  config.kind === 'sqlite'
    ? getSqliteEventStore({ path: sqliteEventsFile(dataDir) })
    : getEventStoreDBEventStore({ connectionString: config.connectionString, deadlineMs: config.deadlineMs });

/** Where the events are, for people: never shows a password the connection string may hold. */
export const describeEventStore = (config: EventStoreConfig, dataDir: string): string => {
  if (config.kind === 'sqlite') return `embedded SQLite event store, ${sqliteEventsFile(dataDir)}`;
  const withoutCredentials = config.connectionString.replace(/^(esdb(?:\+discover)?:\/\/)[^@/?#]*@/i, '$1');
  return `EventStoreDB, ${withoutCredentials}`;
};
