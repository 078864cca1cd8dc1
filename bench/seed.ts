import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  type ClientCommand,
  type ClientEvent,
  EVENT_SCHEMA_VERSION,
  type EventMetadata,
  clientStreamId,
  decide,
  evolve,
  initialState,
} from '../src/domain/client';
import { getSqliteEventStore } from '../src/eventstore/sqlite';

/** The commands of the i-th client's history: an add, then `changes` edits of its settings and lists. */
const historyOf = (i: number, changes: number): ClientCommand[] => {
  const clientId = randomUUID();
  const tenantId = 'bench';
  const commands: ClientCommand[] = [
    {
      type: 'AddClient',
      tenantId,
      data: { id: clientId, name: `Bench app ${i}`, allowedRedirectUrls: [`https://app${i}.example.com/callback`], tags: [`t${i % 7}`] },
    },
  ];
  for (let step = 0; step < changes; step += 1) {
    const kind = step % 4;
    if (kind === 0) commands.push({ type: 'RenameClient', tenantId, data: { clientId, name: `Bench app ${i} v${step}` } });
    if (kind === 1) commands.push({ type: 'AddRedirectUrl', tenantId, data: { clientId, url: `https://app${i}.example.com/cb/${step}` } });
    if (kind === 2) commands.push({ type: 'SetTokenLifetime', tenantId, data: { clientId, seconds: 600 + step } });
    if (kind === 3) commands.push({ type: 'AddCorsOrigin', tenantId, data: { clientId, origin: `https://o${step}.example.com` } });
  }
  return commands;
};

const metadataAt = (n: number): EventMetadata => ({
  schemaVersion: EVENT_SCHEMA_VERSION,
  tenantId: 'bench',
  actor: { id: 'bench-admin', name: 'Bench Admin' },
  operationId: `op-${n}`,
  correlationId: `op-${n}`,
  causationId: `op-${n}`,
  occurredAt: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
  reason: n % 3 === 0 ? 'benchmark' : null,
});

/**
 * Writes `clients` client histories of `1 + changes` events each into the embedded store of
 * `dataDir`, through the store's port, decided by the real decider (one append per client).
 */
export const seedEvents = async (dataDir: string, clients: number, changes: number): Promise<number> => {
  const store = getSqliteEventStore({ path: path.join(dataDir, 'events.db') });
  let written = 0;
  try {
    for (let i = 0; i < clients; i += 1) {
      let state = initialState;
      const events: ClientEvent[] = [];
      for (const command of historyOf(i, changes)) {
        const decided = decide(command, state);
        state = decided.reduce(evolve, state);
        events.push(...decided);
      }
      const streamId = clientStreamId(events[0].data.clientId);
      await store.appendToStream(
        streamId,
        events.map((event) => ({ type: event.type, data: event.data, metadata: metadataAt((written += 1)) })),
        { expectedRevision: 'no_stream' },
      );
    }
  } finally {
    await store.close();
  }
  return written;
};
