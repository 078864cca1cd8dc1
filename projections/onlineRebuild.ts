import { rmSync } from 'node:fs';
import { type EventStore, type Position, type Subscription, comparePositions, positionToToken } from '../src/eventstore';
import { type Logger } from '../src/logger';
import { type ReadModelDatabase, openReadModelDatabase } from '../src/readmodel';
import { DEFAULT_BATCH_SIZE } from './batchSize';
import { readCheckpoint } from './checkpoints';
import { probeHead } from './lag';
import { type Projection } from './projection';
import { ProjectionRunner } from './runner';

/** How an online rebuild is going: what `projections rebuild` draws its progress bar from. */
export interface RebuildProgress {
  id: string;
  state: 'running' | 'done' | 'failed';
  /** The projections to rebuild, in order. */
  projections: string[];
  /** The one being built now (null once finished). */
  current: string | null;
  /** Those already swapped in. */
  swapped: string[];
  /** The current projection's position in the store's log, and the head when it started (commit positions). */
  position: number;
  head: number | null;
  eventsApplied: number;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

/** What an online rebuild works with: the live read model and its runner, and where to build. */
export interface OnlineRebuildOptions {
  store: EventStore;
  /** The live read model; the rebuilt tables are swapped into it. */
  db: ReadModelDatabase;
  runner: ProjectionRunner;
  logger: Logger;
  /** The file the new tables are built in, next to the live read model; removed afterwards. */
  buildFile: string;
  /** Longest the rebuild may take, per projection. */
  timeoutMs?: number;
  /** How often progress is updated while building. */
  progressIntervalMs?: number;
  /** Aborts the rebuild (the server stops): the running projection stays as it was. */
  signal?: AbortSignal;
}

/** Resolves as `promise` does, or rejects once `signal` aborts. */
const unlessAborted = <T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> => {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new Error('the rebuild was stopped: the server is stopping'));
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const removeDatabase = (file: string) => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
};

const SCHEMA = 'rebuilt';

/**
 * The store, its subscriptions pausing for the event loop after every `every` messages. A
 * subscription catching up reads page after page without waiting on I/O; unpaused, a rebuild
 * would hold the server's requests until it is done.
 */
const yieldingStore = (store: EventStore, every: number): EventStore => ({
  ...store,
  subscribeToAll(options) {
    const subscription = store.subscribeToAll(options);
    const paused: Subscription = {
      unsubscribe: () => subscription.unsubscribe(),
      async *[Symbol.asyncIterator]() {
        let count = 0;
        for await (const message of subscription) {
          yield message;
          count += 1;
          if (count % every === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        }
      },
    };
    return paused;
  },
});

/**
 * Builds one projection from the start into a fresh database while the live one keeps serving,
 * follows the store until it is at or past the live projection, then swaps its tables in, in one
 * transaction of the live read model (ProjectionRunner.replaceTables).
 */
const rebuildOne = async (projection: Projection, options: OnlineRebuildOptions, progress: RebuildProgress): Promise<void> => {
  const { store, db, runner, logger, buildFile } = options;
  removeDatabase(buildFile);
  const build = openReadModelDatabase(buildFile);
  // Batches as the live projections take them, each followed by a pause: requests are answered in between.
  const builder = new ProjectionRunner({
    store: yieldingStore(store, DEFAULT_BATCH_SIZE),
    db: build,
    projections: [projection],
    logger,
    batchSize: DEFAULT_BATCH_SIZE,
  });
  const builtTo = (): Position | null => readCheckpoint(build, projection.name).position;
  try {
    const head = await probeHead(store);
    progress.head = head === null ? null : Number(head.commit);
    builder.start();
    const timer = setInterval(() => {
      const [status] = builder.status();
      progress.eventsApplied = status.eventsApplied;
      progress.position = Number(builtTo()?.commit ?? 0n);
    }, options.progressIntervalMs ?? 100);
    timer.unref();
    try {
      if (!(await unlessAborted(builder.waitUntilLive(options.timeoutMs ?? 30 * 60_000), options.signal))) {
        throw new Error(builder.status()[0].failure?.message ?? `building ${projection.name} timed out`);
      }
    } finally {
      clearInterval(timer);
    }
    // The builder follows the store live, as the running projection does: swap at a moment it is at or past it.
    db.prepare('ATTACH DATABASE ? AS rebuilt').run(buildFile);
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const built = builtTo();
        const live = runner.positionOf(projection.name) ?? null;
        // Nothing in the store yet: both are empty, nothing to swap.
        if (built === null && live === null) break;
        if (built !== null && (live === null || comparePositions(built, live) >= 0)) {
          const swapping = Date.now();
          runner.replaceTables(projection.name, SCHEMA, built);
          logger.info({ projection: projection.name, position: positionToToken(built), swapMs: Date.now() - swapping }, 'rebuilt projection swapped in');
          break;
        }
        if (Date.now() > deadline) throw new Error(`the rebuild of ${projection.name} could not catch up with the running projection`);
        await unlessAborted(sleep(5), options.signal);
      }
    } finally {
      db.exec(`DETACH DATABASE ${SCHEMA}`);
    }
  } finally {
    await builder.stop();
    build.close();
    removeDatabase(buildFile);
  }
};

/**
 * Rebuilds projections one after another while the server serves: each is built from the events
 * into a new database and swapped in atomically, so queries answer throughout, from the old
 * tables until the swap and from the new ones after. Updates `progress` as it goes.
 */
export const rebuildOnline = async (projections: readonly Projection[], options: OnlineRebuildOptions, progress: RebuildProgress): Promise<void> => {
  try {
    for (const projection of projections) {
      progress.current = projection.name;
      progress.position = 0;
      progress.eventsApplied = 0;
      await rebuildOne(projection, options, progress);
      progress.swapped.push(projection.name);
    }
    progress.state = 'done';
  } catch (error) {
    progress.state = 'failed';
    progress.error = error instanceof Error ? error.message : String(error);
    options.logger.error({ err: error, projection: progress.current }, 'online rebuild failed; the running projection was left as it was');
  } finally {
    progress.current = null;
    progress.finishedAt = new Date().toISOString();
  }
};
