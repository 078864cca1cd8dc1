import { type Actor, EVENT_SCHEMA_VERSION, type EventMetadata, clientStreamId } from '../domain/client';
import { type EventStore } from '../eventstore';
import { seedClientEvents, seededRandom } from './seedHistory';

/** The actor seeded events are recorded as. */
export const SEED_ACTOR: Actor = { id: 'seed', name: 'Seeded data' };

/** What to make. */
export interface SeedOptions {
  tenantId: string;
  clients: number;
  eventsPerClient: number;
  /** The same seed makes the same names, lists and histories (not the same ids). */
  randomSeed: number;
  /** A fresh client id per client. */
  newId: () => string;
  /** The end of the made-up timeline: the seeded changes happened over the year before it. */
  now: Date;
  /** Told after each client with the number of clients written so far. */
  onProgress?: (clients: number, events: number) => void;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Writes `clients` made-up clients of `eventsPerClient` events each into the store, through its
 * port: one append per client (`no_stream`, so an id is never reused), every event decided by the
 * real decider and timed in order over the past year. Answers the events written.
 */
export const seedClients = async (store: EventStore, options: SeedOptions): Promise<number> => {
  const random = seededRandom(options.randomSeed);
  const total = options.clients * options.eventsPerClient;
  const start = options.now.getTime() - YEAR_MS;
  const step = YEAR_MS / Math.max(total, 1);
  let written = 0;
  for (let index = 0; index < options.clients; index += 1) {
    const id = options.newId();
    const events = seedClientEvents(random, { index, tenantId: options.tenantId, id, events: options.eventsPerClient });
    const operationId = `seed-${id}`;
    const metadataAt = (n: number): EventMetadata => ({
      schemaVersion: EVENT_SCHEMA_VERSION,
      tenantId: options.tenantId,
      actor: SEED_ACTOR,
      operationId: `${operationId}-${n}`,
      correlationId: operationId,
      causationId: `${operationId}-${n}`,
      occurredAt: new Date(start + (written + n) * step).toISOString(),
      reason: null,
    });
    await store.appendToStream(
      clientStreamId(id),
      events.map((event, n) => ({ type: event.type, data: event.data, metadata: metadataAt(n) })),
      { expectedRevision: 'no_stream' },
    );
    written += events.length;
    options.onProgress?.(index + 1, written);
  }
  return written;
};
