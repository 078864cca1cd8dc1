import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ClientCommandRequest, type CommandContext, createClientCommandHandler } from '../../src/application/clientCommandHandler';
import { clientStreamId } from '../../src/domain/client';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors';
import { type EventStore } from '../../src/eventstore';
import { getSqliteEventStore } from '../../src/eventstore/sqlite';
import { withRival } from '../testing/withRival';

const TENANT = 'tenant-a';
const CLIENT_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const context: CommandContext = { actor: { id: 'alice', name: 'Alice' }, operationId: 'op-1', correlationId: 'corr-1' };
const add: ClientCommandRequest = {
  type: 'AddClient',
  tenantId: TENANT,
  data: { id: CLIENT_ID, name: 'App', allowedRedirectUrls: ['https://app.example.com/cb'] },
};
const rename = (name: string): ClientCommandRequest => ({ type: 'RenameClient', tenantId: TENANT, data: { clientId: CLIENT_ID, name } });

describe('client command handler', () => {
  let dir: string;
  let store: EventStore;
  let ids: number;
  const deps = () => ({
    store,
    now: () => new Date('2026-01-02T03:04:05.000Z'),
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    waitForProjections: () => Promise.resolve(true),
    readYourWritesTimeoutMs: 100,
    sleep: () => Promise.resolve(),
  });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'acc-handler-'));
    store = getSqliteEventStore({ path: path.join(dir, 'events.db') });
    ids = 0;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the events with the metadata of who, for which tenant, when, why and as part of what', async () => {
    const handler = createClientCommandHandler(deps());
    const outcome = await handler.execute(add, { ...context, reason: '  first  ' });
    expect(outcome).toMatchObject({ clientId: CLIENT_ID, changed: true, version: 1, stale: false });
    const { events } = await store.readStream(clientStreamId(CLIENT_ID));
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('ClientCreated');
    expect(events[0].metadata).toEqual({
      schemaVersion: 1,
      tenantId: TENANT,
      actor: { id: 'alice', name: 'Alice' },
      operationId: 'op-1',
      correlationId: 'corr-1',
      causationId: 'op-1',
      occurredAt: '2026-01-02T03:04:05.000Z',
      reason: 'first',
    });
  });

  it('generates the id of a client added without one', async () => {
    const handler = createClientCommandHandler(deps());
    const outcome = await handler.execute({ ...add, data: { ...add.data, id: undefined } }, context);
    expect(outcome.clientId).toBe('00000000-0000-4000-8000-000000000001');
  });

  it('retries when another writer lands first, deciding again on the new state', async () => {
    await createClientCommandHandler(deps()).execute(add, context);
    const rival = () => createClientCommandHandler(deps()).execute(rename('Rival'), context).then(() => undefined);
    const handler = createClientCommandHandler({ ...deps(), store: withRival(store, rival, 3) });
    const outcome = await handler.execute(rename('Mine'), context);
    expect(outcome).toMatchObject({ changed: true, version: 3 });
    const names = (await store.readStream(clientStreamId(CLIENT_ID))).events.flatMap((e) => (e.type === 'ClientRenamed' ? [e.data.name] : []));
    expect(names).toEqual(['Rival', 'Mine']);
  });

  it('gives up with CONFLICT after the bounded number of attempts', async () => {
    await createClientCommandHandler(deps()).execute(add, context);
    let n = 0;
    const rival = () => createClientCommandHandler(deps()).execute(rename(`Rival ${++n}`), context).then(() => undefined);
    const handler = createClientCommandHandler({ ...deps(), store: withRival(store, rival, 100), maxAttempts: 4 });
    await expect(handler.execute(rename('Mine'), context)).rejects.toThrow(ConflictError);
    const names = (await store.readStream(clientStreamId(CLIENT_ID))).events.flatMap((e) => (e.type === 'ClientRenamed' ? [e.data.name] : []));
    expect(names).not.toContain('Mine');
    expect(names).toHaveLength(4);
  });

  it('answers CONFLICT with the current version instead of retrying when the caller named expectedVersion', async () => {
    await createClientCommandHandler(deps()).execute(add, context);
    const rival = () => createClientCommandHandler(deps()).execute(rename('Rival'), context).then(() => undefined);
    const handler = createClientCommandHandler({ ...deps(), store: withRival(store, rival, 1) });
    const error = await handler.execute(rename('Mine'), { ...context, expectedVersion: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).details).toEqual({ currentVersion: 2 });
    expect((await store.readStream(clientStreamId(CLIENT_ID))).events).toHaveLength(2);
  });

  it('reports a bad reason together with the command’s own violations, and appends nothing', async () => {
    const handler = createClientCommandHandler(deps());
    const error = await handler
      .execute({ ...add, data: { ...add.data, id: 'nope', name: '' } }, { ...context, reason: '\u0007' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations.map((v) => `${v.field}:${v.rule}`).sort()).toEqual(['id:uuid', 'name:name', 'reason:reason']);
    const reasonOnly = await handler.execute(add, { ...context, reason: '\u0007' }).catch((e: unknown) => e);
    expect((reasonOnly as ValidationError).violations.map((v) => v.field)).toEqual(['reason']);
    expect((await store.readStream(clientStreamId(CLIENT_ID))).streamExists).toBe(false);
  });

  it('refuses bad input, its reason included, before reading the client’s stream', async () => {
    const reads: string[] = [];
    const watched: EventStore = {
      ...store,
      readStream(streamId, options) {
        reads.push(streamId);
        return store.readStream(streamId, options);
      },
    };
    const handler = createClientCommandHandler({ ...deps(), store: watched });
    const error = await handler.execute(rename(''), { ...context, reason: ' ', expectedVersion: 7 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations.map((v) => `${v.field}:${v.rule}`)).toEqual(['name:name', 'reason:reason']);
    expect(reads).toEqual([]);
  });

  it('answers a stale expectedVersion for another tenant’s client as NOT_FOUND, never with its version', async () => {
    const handler = createClientCommandHandler(deps());
    await handler.execute(add, context);
    const error = await handler
      .execute({ ...rename('Mine'), tenantId: 'tenant-b' }, { ...context, expectedVersion: 5 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).details).toEqual({});
  });

  it('says when the projections did not catch up within the bound, without failing the command', async () => {
    const handler = createClientCommandHandler({ ...deps(), waitForProjections: () => Promise.resolve(false) });
    const outcome = await handler.execute(add, context);
    expect(outcome).toMatchObject({ changed: true, stale: true });
  });

  it('answers changed: false, the current version and position, and appends nothing for a no-op', async () => {
    const handler = createClientCommandHandler(deps());
    const created = await handler.execute(add, context);
    const same = await handler.execute(rename('App'), context);
    expect(same).toEqual({ clientId: CLIENT_ID, changed: false, version: 1, position: created.position, stale: false });
  });
});
