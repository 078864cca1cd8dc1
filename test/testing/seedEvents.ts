import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dataFiles } from '../../src/app';
import { clientStreamId } from '../../src/domain/client';
import { type EventData } from '../../src/eventstore';
import { getSqliteEventStore } from '../../src/eventstore/sqlite';
import { created, metadataFor } from './projectionSpecification';

/**
 * Writes `clients` clients of tenant A straight into the embedded store of `dataDir`, each created
 * as `Seeded <n> v1` and renamed up to `Seeded <n> v<eventsPerClient>`, one append per client:
 * a large history in seconds, for tests of what the server does with one.
 */
export const seedRenamedClients = async (dataDir: string, clients: number, eventsPerClient: number): Promise<void> => {
  mkdirSync(dataDir, { recursive: true });
  const store = getSqliteEventStore({ path: dataFiles(dataDir).events });
  try {
    for (let client = 0; client < clients; client += 1) {
      const clientId = randomUUID();
      const events: EventData[] = [{ type: 'ClientCreated', data: created(clientId, { name: `Seeded ${client} v1` }).data, metadata: metadataFor(client) }];
      for (let version = 2; version <= eventsPerClient; version += 1) {
        events.push({ type: 'ClientRenamed', data: { clientId, name: `Seeded ${client} v${version}` }, metadata: metadataFor(client) });
      }
      await store.appendToStream(clientStreamId(clientId), events, { expectedRevision: 'no_stream' });
    }
  } finally {
    await store.close();
  }
};
