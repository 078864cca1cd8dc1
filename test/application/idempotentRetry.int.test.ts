import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CommandContext, createClientCommandHandler } from '../../src/application/clientCommandHandler';
import { idempotentCommandIds } from '../../src/application/idempotentIds';
import { clientStreamId } from '../../src/domain/client';
import { type EventStore, StoreUnavailableError } from '../../src/eventstore';
import { getEventStoreDBEventStore } from '../../src/eventstore/eventstoredb';
import { getSqliteEventStore } from '../../src/eventstore/sqlite';
import { startEventStoreStandin } from '../eventstoredb/standin/standinServer';

const TENANT = 'tenant-a';
const request = { tenantId: TENANT, principalId: 'alice', key: 'retry-1', fingerprint: 'f'.repeat(64) };
const add = { type: 'AddClient' as const, tenantId: TENANT, data: { name: 'App', allowedRedirectUrls: ['https://app.example.com/cb'] } };

describe('retries of a keyed command', () => {
  let dir: string;
  let store: EventStore;
  let fresh: number;
  const context = (ids = idempotentCommandIds(request, 0)): CommandContext => ({
    actor: { id: 'alice', name: 'Alice' },
    operationId: 'op-1',
    correlationId: 'corr-1',
    ids,
  });
  const handlerOver = (over: EventStore) =>
    createClientCommandHandler({
      store: over,
      now: () => new Date('2026-01-02T03:04:05.000Z'),
      newId: () => `00000000-0000-4000-8000-${String(++fresh).padStart(12, '0')}`,
      waitForProjections: () => Promise.resolve(true),
      readYourWritesTimeoutMs: 100,
      sleep: () => Promise.resolve(),
    });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'acc-idem-'));
    store = getSqliteEventStore({ path: path.join(dir, 'events.db') });
    fresh = 0;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('derives the ids from tenant, principal, key, request and place: stable, and distinct for any other', () => {
    const ids = idempotentCommandIds(request, 0);
    expect(idempotentCommandIds(request, 0).eventId(0)).toBe(ids.eventId(0));
    expect(ids.clientId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const others = [
      ids.eventId(1),
      idempotentCommandIds(request, 1).eventId(0),
      idempotentCommandIds({ ...request, tenantId: 'tenant-b' }, 0).eventId(0),
      idempotentCommandIds({ ...request, principalId: 'bob' }, 0).eventId(0),
      idempotentCommandIds({ ...request, key: 'retry-2' }, 0).eventId(0),
      idempotentCommandIds({ ...request, fingerprint: 'e'.repeat(64) }, 0).eventId(0),
    ];
    expect(new Set([ids.eventId(0), ...others]).size).toBe(others.length + 1);
  });

  /** Appends two events with the derived ids, then the same append again, as a retry does. */
  const appendTwice = async (over: EventStore) => {
    const ids = idempotentCommandIds(request, 0);
    const stream = clientStreamId(ids.clientId());
    const events = [0, 1].map((index) => ({ id: ids.eventId(index), type: 'Probe', data: { index }, metadata: {} }));
    const first = await over.appendToStream(stream, events, { expectedRevision: 'no_stream' });
    const retried = await over.appendToStream(stream, events, { expectedRevision: 'no_stream' });
    expect(retried).toEqual(first);
    const { events: recorded } = await over.readStream(stream);
    expect(recorded.map((event) => event.id)).toEqual([ids.eventId(0), ids.eventId(1)]);
  };

  it('the embedded store itself deduplicates an append retried with the derived ids', () => appendTwice(store));

  it('EventStoreDB (its protocol stand-in) deduplicates the same retry by the event ids', async () => {
    const standin = await startEventStoreStandin({ port: 0 });
    const esdb = getEventStoreDBEventStore({ connectionString: standin.connectionString });
    try {
      await appendTwice(esdb);
    } finally {
      await esdb.close();
      await standin.close();
    }
  });

  it('a retry after an append whose answer was lost answers the appended events and appends nothing', async () => {
    // The append lands, then the store's answer is lost (a timeout, a dropped connection).
    const losing: EventStore = {
      ...store,
      appendToStream: async (...args) => {
        await store.appendToStream(...args);
        throw new StoreUnavailableError('the answer was lost');
      },
    };
    await expect(handlerOver(losing).execute(add, context())).rejects.toThrow(StoreUnavailableError);
    const clientId = idempotentCommandIds(request, 0).clientId();
    const retried = await handlerOver(store).execute(add, context());
    expect(retried).toMatchObject({ clientId, changed: true, version: 1 });
    const { events } = await store.readStream(clientStreamId(clientId));
    expect(events).toHaveLength(1);
    expect(events[0].id).toBe(idempotentCommandIds(request, 0).eventId(0));
    expect(retried.position).toEqual(events[0].position);
  });

  it('without derived ids the same retry would add a second client', async () => {
    const handler = handlerOver(store);
    const unkeyed: CommandContext = { actor: { id: 'alice', name: 'Alice' }, operationId: 'op-1', correlationId: 'corr-1' };
    const a = await handler.execute(add, unkeyed);
    const b = await handler.execute(add, unkeyed);
    expect(a.clientId).not.toBe(b.clientId);
  });
});
