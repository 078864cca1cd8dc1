import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ALL_PROJECTIONS, type Projection, ProjectionRunner, type ProjectionStatus } from '../../projections';
import {
  type ClientCreated,
  type ClientEvent,
  EVENT_SCHEMA_VERSION,
  type EventMetadata,
  clientStreamId,
} from '../../src/domain/client';
import {
  type EventData,
  type EventStore,
  type JsonObject,
  type Position,
  type Subscription,
  type SubscriptionMessage,
  comparePositions,
} from '../../src/eventstore';
import { getSqliteEventStore } from '../../src/eventstore/sqlite';
import { silentLogger } from '../../src/logger';
import { type ReadModelDatabase, openReadModelDatabase } from '../../src/readmodel';

/** The tenant events belong to unless a test says otherwise. */
export const TENANT_A = 'tenant-a';
/** A second tenant, for isolation tests. */
export const TENANT_B = 'tenant-b';
/** The actor of events unless a test says otherwise. */
export const ADMIN = { id: 'user-ada', name: 'Ada Admin' } as const;

const EPOCH = Date.parse('2024-03-01T08:00:00.000Z');

/** The time of the n-th event of a history (one minute apart), as ISO 8601. */
export const minute = (n: number): string => new Date(EPOCH + n * 60_000).toISOString();

/** A client event to record, with the metadata fields that differ from the defaults. */
export interface GivenClientEvent {
  event: ClientEvent;
  metadata?: Partial<EventMetadata>;
  /** The id the store records the event under; a fresh UUID when absent. */
  id?: string;
}

/** An event written as-is, bypassing the domain's types: for unreadable or foreign events. */
export interface GivenRawEvent {
  streamId: string;
  raw: EventData;
}

/** Anything a history can hold. */
export type GivenEvent = GivenClientEvent | GivenRawEvent;

/** Where an event of a history was recorded. */
export interface RecordedPlace {
  id: string;
  type: string;
  streamId: string;
  revision: bigint;
  position: Position;
}

/**
 * The full metadata of the n-th event of a history: schema version 1, tenant A, Ada as the actor,
 * operation/correlation/causation ids derived from n, one minute per event, no reason.
 */
export const metadataFor = (n: number, overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  schemaVersion: EVENT_SCHEMA_VERSION,
  tenantId: TENANT_A,
  actor: { ...ADMIN },
  operationId: `op-${n}`,
  correlationId: `corr-${n}`,
  causationId: `cmd-${n}`,
  occurredAt: minute(n),
  reason: null,
  ...overrides,
});

/** `metadataFor` as the JSON object the store takes, for events written raw. */
export const rawMetadataFor = (n: number, overrides: Partial<EventMetadata> = {}): JsonObject =>
  metadataFor(n, overrides);

/** A ClientCreated event with sensible defaults for every setting. */
export const created = (clientId: string, settings: Partial<Omit<ClientCreated['data'], 'clientId'>> = {}): ClientCreated => ({
  type: 'ClientCreated',
  data: {
    clientId,
    tenantId: TENANT_A,
    name: `App ${clientId.slice(0, 8)}`,
    enabled: true,
    tokenLifetime: 3600,
    allowedRedirectUrls: ['https://app.example.com/callback'],
    allowedLogoutRedirectUrls: [],
    allowedCorsOrigins: [],
    clientUri: null,
    logoUri: null,
    tags: [],
    ...settings,
  },
});

/** Wraps an event whose metadata should use the tenant of its data (ClientCreated) or the given one. */
export const by = (event: ClientEvent, metadata: Partial<EventMetadata> = {}, id?: string): GivenClientEvent => ({
  event,
  metadata: event.type === 'ClientCreated' ? { tenantId: event.data.tenantId, ...metadata } : metadata,
  id,
});

const isRaw = (given: GivenEvent): given is GivenRawEvent => 'raw' in given;

/**
 * Appends a history to the store, one append per event, each expecting its stream's current
 * revision (as the command path does). Client events get `metadataFor(index)` merged with their
 * overrides; the tenant of a ClientCreated defaults to its data's tenant.
 */
export const appendHistory = async (store: EventStore, history: readonly GivenEvent[], firstIndex = 0): Promise<RecordedPlace[]> => {
  const places: RecordedPlace[] = [];
  for (const [offset, given] of history.entries()) {
    const index = firstIndex + offset;
    const streamId = isRaw(given) ? given.streamId : clientStreamId(given.event.data.clientId);
    const data: EventData = isRaw(given)
      ? { id: randomUUID(), ...given.raw }
      : {
          id: given.id ?? randomUUID(),
          type: given.event.type,
          data: given.event.data,
          metadata: metadataFor(index, {
            ...(given.event.type === 'ClientCreated' ? { tenantId: given.event.data.tenantId } : {}),
            ...given.metadata,
          }),
        };
    const result = await store.appendToStream(streamId, [data]);
    places.push({ id: data.id!.toLowerCase(), type: data.type, streamId, revision: result.nextExpectedRevision, position: result.position });
  }
  return places;
};

/**
 * A store that delivers subscriptions only up to `last` (inclusive) and then ends them: a runner
 * over it stops exactly after that event, as if the process were stopped there.
 */
export const storeUpTo = (store: EventStore, last: Position): EventStore => ({
  appendToStream: (...args) => store.appendToStream(...args),
  readStream: (...args) => store.readStream(...args),
  close: () => store.close(),
  subscribeToAll(options): Subscription {
    const inner = store.subscribeToAll(options);
    async function* upTo(): AsyncGenerator<SubscriptionMessage> {
      for await (const message of inner) {
        const position = message.type === 'event' ? message.event.position : message.position;
        if (position !== null && comparePositions(position, last) > 0) return;
        yield message;
      }
    }
    const messages = upTo();
    return { [Symbol.asyncIterator]: () => messages, unsubscribe: () => inner.unsubscribe() };
  },
});

/** Options of `runProjections`. */
export interface RunOptions {
  projections?: readonly Projection[];
  batchSize?: number;
  /** Stop once this position is applied; by default run until every projection is live. */
  until?: Position | null;
  timeoutMs?: number;
}

/**
 * Starts a runner, waits until it applied `until` (or went live), stops it and answers its status.
 * Throws, with the status, when it did not get there: tests that expect failures use the runner directly.
 */
export const runProjections = async (store: EventStore, db: ReadModelDatabase, options: RunOptions = {}): Promise<ProjectionStatus[]> => {
  const runner = new ProjectionRunner({
    store,
    db,
    projections: options.projections ?? ALL_PROJECTIONS,
    logger: silentLogger(),
    batchSize: options.batchSize,
  });
  runner.start();
  const timeout = options.timeoutMs ?? 30_000;
  const reached = options.until ? await runner.waitForPosition(options.until, timeout) : await runner.waitUntilLive(timeout);
  await runner.stop();
  if (!reached) throw new Error(`Projections did not get there: ${JSON.stringify(runner.status())}`);
  return runner.status();
};

/** Every table of a read model, each a list of rows in a fixed order. */
export type Tables = Record<string, Record<string, unknown>[]>;

/**
 * Every table of the read model (the `sqlite_sequence` counters included), each row with its
 * rowid, ordered by every column: what "identical tables" means in these tests.
 */
export const readModelTables = (db: ReadModelDatabase): Tables => {
  const tables = db
    .prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all();
  const result: Tables = {};
  for (const { name, sql } of tables) {
    const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${name}')`).all().map((c) => c.name);
    const hasRowid = name !== 'sqlite_sequence' && !/WITHOUT\s+ROWID/i.test(sql);
    const select = hasRowid ? `rowid AS "@rowid", *` : '*';
    const order = [...(hasRowid ? ['"@rowid"'] : []), ...columns.map((column) => `"${column}"`)].join(', ');
    result[name] = db.prepare<[], Record<string, unknown>>(`SELECT ${select} FROM "${name}" ORDER BY ${order}`).all();
  }
  return result;
};

/** Forgets where every projection stood (or sets it to `position`), keeping its rows: the next run replays. */
export const moveCheckpoints = (db: ReadModelDatabase, position: Position | null): void => {
  const value = position === null ? null : position.commit.toString();
  const prepare = position === null ? null : position.prepare.toString();
  db.prepare('UPDATE projection_checkpoints SET commit_position = ?, prepare_position = ?').run(value, prepare);
};

/** A temporary folder with a real SQLite event store file and read-model files; `dispose` removes it. */
export interface ProjectionWorld {
  dir: string;
  store: EventStore;
  /** Opens a read-model database file in the folder (a new one per name); closed by `dispose`. */
  readModel(name?: string): ReadModelDatabase;
  /** Appends a history; event indexes (times, operation ids) continue from earlier appends. */
  append(history: readonly GivenEvent[]): Promise<RecordedPlace[]>;
  /** Every event appended so far, in order. */
  readonly places: readonly RecordedPlace[];
  dispose(): Promise<void>;
}

/** Creates a world in a fresh temporary folder; `pageSize` is how many events the store's subscriptions read at a time. */
export const openProjectionWorld = (options: { pageSize?: number } = {}): ProjectionWorld => {
  const dir = mkdtempSync(path.join(tmpdir(), 'acc-projections-'));
  const store = getSqliteEventStore({ path: path.join(dir, 'events.db'), pollIntervalMs: 20, pageSize: options.pageSize });
  const databases: ReadModelDatabase[] = [];
  const places: RecordedPlace[] = [];
  return {
    dir,
    store,
    places,
    readModel(name = 'readmodel') {
      const db = openReadModelDatabase(path.join(dir, `${name}.db`));
      databases.push(db);
      return db;
    },
    async append(history) {
      const added = await appendHistory(store, history, places.length);
      places.push(...added);
      return added;
    },
    async dispose() {
      await store.close();
      for (const db of databases) if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** The rows a test expects, per table; each row is matched as a subset, in table order. */
export type ExpectedRows = Record<string, Record<string, unknown>[]>;

/** The "then" step of a projection specification. */
export interface ProjectionThen {
  /** Checks the listed tables (every row, in order, each as a subset) and answers all tables. */
  then(expected: ExpectedRows): Promise<Tables>;
}

/** The "when" step of a projection specification. */
export interface ProjectionWhen {
  /** Projects the events, then replays all of them again from the start over the same tables. */
  whenReplayedTwice(): ProjectionThen;
  /** Projects the events once. */
  whenProjected(): ProjectionThen;
}

/**
 * Projection specification: `given(events).whenReplayedTwice().then(rows)`. Appends the events
 * to a real SQLite store in a temporary folder, runs the projections into a real read-model file,
 * and (when replayed twice) moves every checkpoint back to the start and runs again, requiring
 * every table, counters included, to be identical to the first run before checking `rows`.
 */
export const given = (history: readonly GivenEvent[], projections: readonly Projection[] = ALL_PROJECTIONS): ProjectionWhen => {
  const run = (twice: boolean): ProjectionThen => ({
    async then(expected) {
      if (typeof expected !== 'object' || expected === null) {
        throw new TypeError('then(rows) takes the expected rows per table; do not await the when-step itself');
      }
      const world = openProjectionWorld();
      try {
        await world.append(history);
        const db = world.readModel();
        await runProjections(world.store, db, { projections });
        const once = readModelTables(db);
        if (twice) {
          moveCheckpoints(db, null);
          await runProjections(world.store, db, { projections });
          expect(readModelTables(db)).toEqual(once);
        }
        for (const [table, rows] of Object.entries(expected)) {
          expect({ table, rows: once[table] }).toMatchObject({ table, rows });
          expect(once[table]).toHaveLength(rows.length);
        }
        return once;
      } finally {
        await world.dispose();
      }
    },
  });
  return { whenReplayedTwice: () => run(true), whenProjected: () => run(false) };
};
