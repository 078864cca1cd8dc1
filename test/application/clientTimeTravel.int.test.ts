import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClientTimeTravel } from '../../src/application/clientTimeTravel';
import { type ClientEvent, EVENT_SCHEMA_VERSION, clientStreamId } from '../../src/domain/client';
import { ValidationError } from '../../src/errors';
import { type EventStore } from '../../src/eventstore';
import { getSqliteEventStore } from '../../src/eventstore/sqlite';
import { CLIENT_ID, TENANT, clientCreated, clientDeleted } from '../domain/client/clientFixtures';

const renamed = (name: string): ClientEvent => ({ type: 'ClientRenamed', data: { clientId: CLIENT_ID, name } });

describe('clients as they were, folded from the store', () => {
  let dir: string;
  let store: EventStore;
  /** Appends `events` to the client's stream, each occurring at the matching time. */
  const record = (events: readonly ClientEvent[], times: readonly string[]) =>
    store.appendToStream(
      clientStreamId(CLIENT_ID),
      events.map((event, index) => ({
        type: event.type,
        data: event.data,
        metadata: {
          schemaVersion: EVENT_SCHEMA_VERSION,
          tenantId: TENANT,
          actor: { id: `actor-${index}`, name: null },
          operationId: `op-${index}`,
          correlationId: `op-${index}`,
          causationId: `op-${index}`,
          occurredAt: times[index],
          reason: null,
        },
      })),
    );

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'acc-timetravel-'));
    store = getSqliteEventStore({ path: path.join(dir, 'events.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the fold up to a version, with the creator, the times and the last event of then', async () => {
    await record([clientCreated(), renamed('Second'), renamed('Third')], ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z']);
    const { events } = await store.readStream(clientStreamId(CLIENT_ID));
    const past = await createClientTimeTravel(store).clientAt(TENANT, ` ${CLIENT_ID.toUpperCase()} `, { version: 2 });
    expect(past).toEqual({
      client: expect.objectContaining({ id: CLIENT_ID, name: 'Second' }),
      version: 2,
      position: events[1].position,
      lastEventId: events[1].id,
      createdAt: new Date('2026-01-01T00:00:00.000Z'),
      updatedAt: new Date('2026-01-02T00:00:00.000Z'),
      createdBy: { id: 'actor-0', name: null },
    });
    expect((await createClientTimeTravel(store).clientAt(TENANT, CLIENT_ID, {}))?.version).toBe(3);
  });

  it('takes asOf as the last event that occurred at or before it, even behind one a skewed clock stamped later', async () => {
    await record([clientCreated(), renamed('Second'), renamed('Third')], ['2026-01-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z', '2026-01-02T00:00:00.000Z']);
    const at = (asOf: string) => createClientTimeTravel(store).clientAt(TENANT, CLIENT_ID, { asOf: new Date(asOf) });
    expect((await at('2026-01-01T12:00:00.000Z'))?.version).toBe(1);
    expect((await at('2026-01-02T12:00:00.000Z'))?.version).toBe(3);
    expect(await at('2025-12-31T23:59:59.999Z')).toBeNull();
  });

  it('answers null for a deleted client from its deletion on, another tenant’s, and an id that is no UUID, without reading', async () => {
    await record([clientCreated(), clientDeleted()], ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z']);
    const travel = createClientTimeTravel(store);
    expect((await travel.clientAt(TENANT, CLIENT_ID, { version: 1 }))?.client.name).toBe('Shop');
    expect(await travel.clientAt(TENANT, CLIENT_ID, { version: 2 })).toBeNull();
    expect(await travel.clientAt(TENANT, CLIENT_ID, { version: 3 })).toBeNull();
    expect(await travel.clientAt('tenant-b', CLIENT_ID, { version: 1 })).toBeNull();
    const reads = jest.spyOn(store, 'readStream');
    expect(await travel.clientAt(TENANT, 'authorizationCodeClient-x', { version: 1 })).toBeNull();
    expect(reads).not.toHaveBeenCalled();
  });

  it('refuses both parts of a moment at once and a version below 1, before reading anything', async () => {
    const reads = jest.spyOn(store, 'readStream');
    const travel = createClientTimeTravel(store);
    await expect(travel.clientAt(TENANT, CLIENT_ID, { version: 1, asOf: new Date() })).rejects.toThrow(ValidationError);
    await expect(travel.clientAt(TENANT, CLIENT_ID, { version: 0 })).rejects.toMatchObject({ violations: [{ field: 'version', rule: 'version' }] });
    expect(reads).not.toHaveBeenCalled();
  });
});
