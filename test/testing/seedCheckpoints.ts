import { BACKWARDS, END, EventStoreDBClient } from '@eventstore/db-client';
import { mkdirSync } from 'node:fs';
import { ALL_PROJECTIONS, bindReadModelToStore, checkpointStore } from '../../projections';
import { dataFiles } from '../../src/app';
import { eventStoreIdentity } from '../../src/openEventStore';
import { openReadModelDatabase } from '../../src/readmodel';

/**
 * Makes a new read model start at the current head of a shared EventStoreDB, as if it had
 * applied everything before: a test app on a server that other tests (and earlier runs) also
 * write to then sees only the events of its own test.
 */
export const seedCheckpointsAtHead = async (dataDir: string, connectionString: string): Promise<void> => {
  const client = EventStoreDBClient.connectionString(connectionString);
  let head: { commit: bigint; prepare: bigint } | undefined;
  try {
    for await (const resolved of client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
      head = resolved.event?.position;
    }
  } finally {
    await client.dispose();
  }
  if (!head) return;
  mkdirSync(dataDir, { recursive: true });
  const db = openReadModelDatabase(dataFiles(dataDir).readModel);
  try {
    // Recorded as built from this store first: checkpoints without it would read as another store's and be reset.
    bindReadModelToStore(db, eventStoreIdentity({ kind: 'eventstoredb', connectionString, deadlineMs: 5000 }), ALL_PROJECTIONS);
    const checkpoints = checkpointStore(db);
    for (const projection of ALL_PROJECTIONS) {
      checkpoints.reset(projection.name, projection.version);
      checkpoints.advance(projection.name, null, head);
    }
  } finally {
    db.close();
  }
};
