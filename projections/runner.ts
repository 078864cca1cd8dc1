import { CLIENT_STREAM_PREFIX, readClientEvent } from '../src/domain/client';
import {
  type EventStore,
  type Position,
  type RecordedEvent,
  StoreUnavailableError,
  type Subscription,
  comparePositions,
  positionToToken,
} from '../src/eventstore';
import { type Logger } from '../src/logger';
import { type ReadModelDatabase as Database } from '../src/readmodel';
import { checkpointStore } from './checkpoints';
import { type ProjectedEvent, type Projection } from './projection';

/** How a projection is doing, for health checks and operators. */
export interface ProjectionStatus {
  name: string;
  state: 'stopped' | 'catchingUp' | 'live' | 'reconnecting' | 'failed';
  /** Opaque token of the last position applied, or null before the first event. */
  position: string | null;
  eventsApplied: number;
  failure: ProjectionFailure | null;
  /** While reconnecting: why the store's subscription dropped, how often it was retried, and when it is next. */
  reconnect: { reason: string; attempts: number; nextAttemptAt: string } | null;
}

/** Why a projection stopped: it never skips an event it cannot handle. */
export interface ProjectionFailure {
  message: string;
  eventId: string | null;
  eventType: string | null;
  position: string | null;
  at: string;
}

interface ProcessorOptions {
  store: EventStore;
  db: Database;
  logger: Logger;
  batchSize: number;
  onProgress: () => void;
  /** Delay before the `attempt`th resubscription (1-based) after the store became unavailable. */
  retryDelayMs: (attempt: number) => number;
}

/**
 * Backoff for resubscribing: doubling from 250 ms up to 10 s, each delay drawn between half and
 * all of it, so many instances that lost one store do not return in step.
 */
export const reconnectDelayMs = (attempt: number, random: () => number = Math.random): number => {
  const ceiling = Math.min(10_000, 250 * 2 ** Math.min(attempt - 1, 16));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
};

/** Runs one projection: catch up from its checkpoint, then follow live, one transaction per batch. */
class ProjectionProcessor {
  state: ProjectionStatus['state'] = 'stopped';
  position: Position | null = null;
  failure: ProjectionFailure | null = null;
  eventsApplied = 0;
  reconnect: ProjectionStatus['reconnect'] = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private subscription: Subscription | null = null;
  private buffer: RecordedEvent[] = [];
  private flushScheduled = false;
  private done: Promise<void> = Promise.resolve();

  constructor(
    readonly projection: Projection,
    private readonly options: ProcessorOptions,
  ) {}

  /** Creates tables, rebuilds if the projection's version changed, and reads the checkpoint. */
  prepare(): void {
    const { db } = this.options;
    const { projection } = this;
    db.transaction(() => {
      const checkpoint = checkpointStore(db).read(projection.name);
      if (checkpoint.version !== projection.version) {
        if (checkpoint.version !== 0) {
          this.options.logger.warn(
            { projection: projection.name, from: checkpoint.version, to: projection.version },
            'projection version changed: rebuilding it from the events',
          );
        }
        projection.reset(db);
        checkpointStore(db).reset(projection.name, projection.version);
      }
      projection.init(db);
    })();
    this.position = checkpointStore(db).read(projection.name).position;
  }

  start(): void {
    if (this.state !== 'stopped') return;
    this.failure = null;
    this.prepare();
    this.subscribe();
  }

  /** Follows the store from the checkpoint: the position last applied, so nothing is skipped or doubled. */
  private subscribe(): void {
    this.state = 'catchingUp';
    this.subscription = this.options.store.subscribeToAll({
      fromPosition: this.position ?? 'start',
      filter: { streamNamePrefixes: [CLIENT_STREAM_PREFIX] },
    });
    this.done = this.consume(this.subscription);
  }

  /** The store went away: keep what was applied, report not-live, and resubscribe after a backoff. */
  private retryLater(error: StoreUnavailableError): void {
    this.flush();
    if (this.state === 'failed' || this.state === 'stopped') return;
    const attempts = (this.reconnect?.attempts ?? 0) + 1;
    const delayMs = this.options.retryDelayMs(attempts);
    this.state = 'reconnecting';
    this.reconnect = { reason: error.message, attempts, nextAttemptAt: new Date(Date.now() + delayMs).toISOString() };
    this.options.logger.warn(
      { projection: this.projection.name, position: this.positionToken(), attempt: attempts, delayMs, err: error },
      'event store subscription dropped; resubscribing from the checkpoint',
    );
    this.options.onProgress();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.state !== 'reconnecting') return;
      try {
        this.subscribe();
      } catch (failure) {
        if (failure instanceof StoreUnavailableError) this.retryLater(failure);
        else this.fail(failure, null);
      }
    }, delayMs);
  }

  private async consume(subscription: Subscription): Promise<void> {
    try {
      for await (const message of subscription) {
        if (this.state === 'failed') break;
        if (message.type === 'event') {
          this.buffer.push(message.event);
          if (this.buffer.length >= this.options.batchSize) this.flush();
          else this.scheduleFlush();
        } else {
          this.flush();
          // A failed batch must not be stepped over by the position that follows it.
          if (this.hasFailed()) break;
          if (message.type === 'checkpoint') this.advanceTo(message.position);
          // Events of other streams after the last client event are seen too: record that.
          if (message.type === 'caughtUp' && message.position !== null) this.advanceTo(message.position);
          if (message.type === 'caughtUp' && this.state === 'catchingUp') {
            this.state = 'live';
            const reconnected = this.reconnect !== null;
            this.reconnect = null;
            this.options.logger.info(
              { projection: this.projection.name, position: this.positionToken(), eventsApplied: this.eventsApplied },
              reconnected ? 'projection resubscribed and caught up; following live' : 'projection caught up; following live',
            );
            this.options.onProgress();
          }
        }
      }
      this.flush();
    } catch (error) {
      if (this.state === 'stopped') return;
      if (error instanceof StoreUnavailableError) this.retryLater(error);
      else this.fail(error, null);
    }
  }

  /** Read through a method so the compiler does not assume `flush()` left the state unchanged. */
  private hasFailed(): boolean {
    return this.state === 'failed';
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Applies the buffered events and moves the checkpoint, in one transaction. */
  private flush(): void {
    if (this.buffer.length === 0 || this.state === 'failed') return;
    const batch = this.buffer;
    this.buffer = [];
    const { db } = this.options;
    const { projection } = this;
    const from = this.position;
    const fresh = batch.filter((event) => from === null || comparePositions(event.position, from) > 0);
    if (fresh.length === 0) return;
    // The event being read or applied when something throws: the one a failure names.
    const at: { event: RecordedEvent | null } = { event: null };
    try {
      const last = fresh[fresh.length - 1].position;
      db.transaction(() => {
        for (const recorded of fresh) {
          at.event = recorded;
          const { event, metadata } = readClientEvent(recorded);
          const projected: ProjectedEvent = { event, metadata, recorded };
          if (projection.handles.includes(event.type)) projection.apply([projected], db);
        }
        at.event = null;
        checkpointStore(db).advance(projection.name, from, last);
      })();
      this.position = last;
      this.eventsApplied += fresh.length;
      this.options.onProgress();
    } catch (error) {
      this.fail(error, at.event);
    }
  }

  private advanceTo(position: Position): void {
    if (this.state === 'failed') return;
    if (this.position !== null && comparePositions(position, this.position) <= 0) return;
    try {
      const from = this.position;
      checkpointStore(this.options.db).advance(this.projection.name, from, position);
      this.position = position;
      this.options.onProgress();
    } catch (error) {
      this.fail(error, null);
    }
  }

  private fail(error: unknown, event: RecordedEvent | null): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    this.buffer = [];
    this.failure = {
      message: error instanceof Error ? error.message : String(error),
      eventId: event?.id ?? null,
      eventType: event?.type ?? null,
      position: event ? positionToToken(event.position) : null,
      at: new Date().toISOString(),
    };
    this.options.logger.error(
      { projection: this.projection.name, failure: this.failure, err: error },
      'projection stopped: it cannot handle an event and will not skip it',
    );
    void this.subscription?.unsubscribe();
    this.options.onProgress();
  }

  async stop(): Promise<void> {
    if (this.state !== 'failed') this.state = 'stopped';
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.reconnect = null;
    await this.subscription?.unsubscribe();
    await this.done;
    this.flush();
    if (this.state !== 'failed') this.state = 'stopped';
  }

  positionToken(): string | null {
    return this.position === null ? null : positionToToken(this.position);
  }

  status(): ProjectionStatus {
    return {
      name: this.projection.name,
      state: this.state,
      position: this.positionToken(),
      eventsApplied: this.eventsApplied,
      failure: this.failure,
      reconnect: this.reconnect,
    };
  }
}

interface Waiter {
  position: Position | null;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

/** Options of the projection runner. */
export interface ProjectionRunnerOptions {
  store: EventStore;
  db: Database;
  projections: readonly Projection[];
  logger: Logger;
  /** Most events applied in one transaction. */
  batchSize?: number;
  /** Backoff before resubscribing when the store is unavailable; `reconnectDelayMs` by default. */
  retryDelayMs?: (attempt: number) => number;
}

/** Keeps the read model current: one processor per projection, and waits for positions. */
export class ProjectionRunner {
  private readonly processors: ProjectionProcessor[];
  private waiters: Waiter[] = [];

  constructor(options: ProjectionRunnerOptions) {
    const processorOptions: ProcessorOptions = {
      store: options.store,
      db: options.db,
      logger: options.logger,
      batchSize: options.batchSize ?? 500,
      retryDelayMs: options.retryDelayMs ?? reconnectDelayMs,
      onProgress: () => this.settleWaiters(),
    };
    this.processors = options.projections.map((projection) => new ProjectionProcessor(projection, processorOptions));
  }

  /** Creates every projection's tables (synchronously, so queries can run at once) and starts following the store. */
  start(): void {
    for (const processor of this.processors) processor.start();
  }

  /** Stops following the store; what was applied stays applied. */
  async stop(): Promise<void> {
    await Promise.all(this.processors.map((processor) => processor.stop()));
    this.settleWaiters();
  }

  /** Every projection's status. */
  status(): ProjectionStatus[] {
    return this.processors.map((processor) => processor.status());
  }

  /** True when every projection has caught up and follows live. */
  isLive(): boolean {
    return this.processors.every((processor) => processor.state === 'live');
  }

  /** Resolves true once every projection has applied `position`, false when one fails or the time is up. */
  waitForPosition(position: Position, timeoutMs: number): Promise<boolean> {
    return this.wait(position, timeoutMs);
  }

  /** Resolves true once every projection is live, false when one fails or the time is up. */
  waitUntilLive(timeoutMs: number): Promise<boolean> {
    return this.wait(null, timeoutMs);
  }

  private reached(position: Position | null): boolean | null {
    if (this.processors.some((processor) => processor.state === 'failed' || processor.state === 'stopped')) return false;
    return this.processors.every((processor) =>
      position === null
        ? processor.state === 'live'
        : processor.position !== null && comparePositions(processor.position, position) >= 0,
    )
      ? true
      : null;
  }

  private wait(position: Position | null, timeoutMs: number): Promise<boolean> {
    const now = this.reached(position);
    if (now !== null) return Promise.resolve(now);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((other) => other !== waiter);
          resolve(false);
        }, timeoutMs),
      };
      waiter.timer.unref();
      this.waiters.push(waiter);
    });
  }

  private settleWaiters(): void {
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => {
      const outcome = this.reached(waiter.position);
      if (outcome === null) return true;
      clearTimeout(waiter.timer);
      waiter.resolve(outcome);
      return false;
    });
  }
}

/** Empties every projection and applies all events again from the start; resolves when caught up. */
export const rebuildProjections = async (options: ProjectionRunnerOptions & { timeoutMs?: number }): Promise<ProjectionStatus[]> => {
  const { db, projections } = options;
  // Marked as never run, each projection is dropped, recreated and replayed as it starts.
  db.transaction(() => {
    const checkpoints = checkpointStore(db);
    for (const projection of projections) checkpoints.reset(projection.name, 0);
  })();
  const runner = new ProjectionRunner(options);
  runner.start();
  const live = await runner.waitUntilLive(options.timeoutMs ?? 10 * 60_000);
  await runner.stop();
  const status = runner.status();
  if (!live) {
    const failed = status.find((projection) => projection.failure);
    throw new Error(`Rebuild did not finish: ${failed?.failure?.message ?? 'timed out'}`);
  }
  return status;
};
