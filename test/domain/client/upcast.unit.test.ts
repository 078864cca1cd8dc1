import {
  EVENT_SCHEMA_VERSION,
  type EventMetadata,
  type StoredEvent,
  UnreadableEventError,
  type Upcaster,
  readClientEvent,
} from '../../../src/domain/client';
import { CLIENT_ID, clientCreated } from './clientFixtures';

const metadata = (schemaVersion?: unknown): Record<string, unknown> => ({
  ...(schemaVersion === undefined ? {} : { schemaVersion }),
  tenantId: 'tenant-a',
  actor: { id: 'admin-1', name: 'Ada' },
  operationId: 'op-1',
  correlationId: 'op-1',
  causationId: 'op-1',
  occurredAt: '2025-01-02T03:04:05.000Z',
  reason: null,
});

const renamed = (version?: unknown): StoredEvent => ({
  type: 'ClientRenamed',
  data: { clientId: CLIENT_ID, name: 'Shop front' },
  metadata: metadata(version),
});

/** Version 0 called the new name `newName`, and its actor a bare string. */
const v0Renamed: StoredEvent = {
  type: 'ClientRenamed',
  data: { clientId: CLIENT_ID, newName: 'Shop front' },
  metadata: { ...metadata(0), actor: 'admin-1' },
};

const fromV0: Upcaster = ({ type, data, metadata: meta }) => {
  const { newName, ...rest } = data as Record<string, unknown>;
  const old = meta as Record<string, unknown>;
  return {
    type,
    data: type === 'ClientRenamed' ? { ...rest, name: newName } : data,
    metadata: { ...old, actor: { id: old.actor, name: null }, schemaVersion: 1 },
  };
};

describe('readClientEvent', () => {
  it('reads the current schema version', () => {
    expect(EVENT_SCHEMA_VERSION).toBe(1);
    expect(readClientEvent(renamed(1))).toEqual({
      event: { type: 'ClientRenamed', data: { clientId: CLIENT_ID, name: 'Shop front' } },
      metadata: metadata(1) as unknown as EventMetadata,
    });
  });

  it('reads a ClientCreated as written', () => {
    const created = clientCreated({ tags: ['prod'] });
    expect(readClientEvent({ ...created, metadata: metadata(1) }).event).toEqual(created);
  });

  it('reads an event without schemaVersion as version 1', () => {
    expect(readClientEvent(renamed()).metadata.schemaVersion).toBe(1);
    const toV2 = jest.fn<StoredEvent, [StoredEvent]>((event) => ({ ...event, data: { ...(event.data as object), name: 'v2' } }));
    expect(readClientEvent(renamed(), { 1: toV2 }, 2)).toEqual({
      event: { type: 'ClientRenamed', data: { clientId: CLIENT_ID, name: 'v2' } },
      metadata: { ...metadata(), schemaVersion: 2 },
    });
    expect(toV2).toHaveBeenCalledTimes(1);
  });

  it('upgrades a version 0 event with an injected upcaster table', () => {
    expect(readClientEvent(v0Renamed, { 0: fromV0 })).toEqual({
      event: { type: 'ClientRenamed', data: { clientId: CLIENT_ID, name: 'Shop front' } },
      metadata: { ...metadata(1), actor: { id: 'admin-1', name: null } },
    });
  });

  it('upgrades step by step, in order, to the version asked for', () => {
    const steps: string[] = [];
    const step =
      (from: number): Upcaster =>
      (event) => {
        steps.push(`${from}->${from + 1}`);
        return from === 0 ? fromV0(event) : event;
      };
    const read = readClientEvent(v0Renamed, { 0: step(0), 1: step(1), 2: step(2) }, 3);
    expect(steps).toEqual(['0->1', '1->2', '2->3']);
    expect(read.event).toEqual({ type: 'ClientRenamed', data: { clientId: CLIENT_ID, name: 'Shop front' } });
    expect(read.metadata.schemaVersion).toBe(3);
  });

  it('lets an upcaster rename an event type', () => {
    const old: StoredEvent = { type: 'ClientNameChanged', data: { clientId: CLIENT_ID, name: 'X' }, metadata: metadata(0) };
    const read = readClientEvent(old, { 0: (event) => ({ ...event, type: 'ClientRenamed' }) });
    expect(read.event).toEqual({ type: 'ClientRenamed', data: { clientId: CLIENT_ID, name: 'X' } });
  });

  it('refuses a version 0 event when no upcaster is known (the default table is empty)', () => {
    expect(() => readClientEvent(v0Renamed)).toThrow(UnreadableEventError);
  });

  it('refuses a schema version newer than this code, saying so', () => {
    expect(() => readClientEvent(renamed(2))).toThrow(UnreadableEventError);
    expect(() => readClientEvent(renamed(2))).toThrow(/schema version 2.*reads up to 1/);
  });

  it.each([['1'], ['2'], [1.5], [-1], [null], [Number.NaN]])('refuses a schemaVersion of %p rather than guessing', (version) => {
    expect(() => readClientEvent(renamed(version), { 0: fromV0, [-1]: fromV0 })).toThrow(UnreadableEventError);
  });

  it('refuses an unknown event type', () => {
    expect(() => readClientEvent({ ...renamed(1), type: 'ClientArchived' })).toThrow(UnreadableEventError);
  });

  it('does not take an inherited property name for an event type', () => {
    expect(() => readClientEvent({ ...renamed(1), type: 'constructor' })).toThrow(UnreadableEventError);
  });

  it.each([
    ['data is not an object', { ...renamed(1), data: 'Shop' }],
    ['data is an array', { ...renamed(1), data: [] }],
    ['data is null', { ...renamed(1), data: null }],
    ['metadata is missing', { ...renamed(1), metadata: undefined }],
  ])('refuses an event whose %s', (_what, stored) => {
    expect(() => readClientEvent(stored)).toThrow(UnreadableEventError);
  });
});
