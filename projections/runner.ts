import { type EventStore, type Position, comparePositions, positionToToken } from '../src/eventstore';
import { type Logger } from '../src/logger';
import { type ReadModelDatabase } from '../src/readmodel';
import { reconnectDelayMs } from './backoff';
import { checkBatchSize } from './batchSize';
import { ProjectionProcessor, type ProjectionStatus } from './processor';
import { type ProjectedEvent, type Projection } from './projection';
import { EventSource, type SourceListener, type SourcedEvent } from './source';
import { type Waiters, createWaiters } from './waiters';

/** Told of the client events every projection has committed, in global order, once each. */
export type CommittedListener = (events: readonly ProjectedEvent[]) => void;

/** Options of the projection runner. */
export interface ProjectionRunnerOptions {
  store: EventStore;
  db: ReadModelDatabase;
  projections: readonly Projection[];
  logger: Logger;
  /** Most events applied in one transaction: a whole number from 1 to 10000; 500 by default. */
  batchSize?: number;
  /** Backoff before resubscribing when the store is unavailable; `reconnectDelayMs` by default. */
  retryDelayMs?: (attempt: number) => number;
}

/**
 * Keeps the read model current: one subscription (the source) feeds every projection's
 * processor the same batches, and callers wait for positions (read-your-writes).
 */
export class ProjectionRunner {
  private readonly processors: ProjectionProcessor[];
  private readonly source: EventSource;
  private readonly waiters: Waiters;
  private readonly logger: Logger;
  private committedListeners: CommittedListener[] = [];
  /** The position up to which committed events were told: the lowest checkpoint after the last batch. */
  private told: Position | null = null;

  constructor(options: ProjectionRunnerOptions) {
    this.logger = options.logger;
    const batchSize = checkBatchSize(options.batchSize);
    this.processors = options.projections.map((projection) => new ProjectionProcessor(projection, options.db, options.logger));
    this.waiters = createWaiters((target) => this.outcome(target));
    this.source = new EventSource({
      store: options.store,
      batchSize,
      retryDelayMs: options.retryDelayMs ?? reconnectDelayMs,
      from: () => this.lowestPosition(),
      listener: this.listener(options.logger),
    });
  }

  /** Creates every projection's tables (synchronously, so queries can run at once) and starts following the store. */
  start(): void {
    if (this.processors.some((processor) => processor.state !== 'stopped' && processor.state !== 'failed')) return;
    const starting = this.processors.filter((processor) => processor.state === 'stopped');
    if (starting.length === 0) return;
    for (const processor of starting) processor.prepare();
    this.told = this.committedUpTo();
    this.source.start();
  }

  /** Stops following the store; what was applied stays applied. */
  async stop(): Promise<void> {
    for (const processor of this.processors) processor.stop();
    await this.source.stop();
    for (const processor of this.processors) processor.stop();
    this.waiters.settle();
  }

  /** The position a projection has applied, as this runner holds it; undefined for a name it does not run. */
  positionOf(name: string): Position | null | undefined {
    return this.processors.find((processor) => processor.projection.name === name)?.position;
  }

  /**
   * Swaps a rebuilt projection's tables (in the attached database `schema`, built up to
   * `position`) in for the live ones, atomically; see ProjectionProcessor.replaceTables. Refused
   * for a projection that failed or is not running, or when the rebuild is behind this runner.
   */
  replaceTables(name: string, schema: string, position: Position): void {
    const processor = this.processors.find((candidate) => candidate.projection.name === name);
    if (!processor) throw new Error(`No projection named ${name}`);
    if (processor.state === 'failed' || processor.state === 'stopped') {
      throw new Error(`Projection ${name} is ${processor.state}: rebuild it with the server stopped`);
    }
    if (processor.position !== null && comparePositions(position, processor.position) < 0) {
      throw new Error(`The rebuild of ${name} is behind the running projection`);
    }
    processor.replaceTables(schema, position);
    this.waiters.settle();
  }

  /** Every projection's status. */
  status(): ProjectionStatus[] {
    return this.processors.map((processor) => processor.status());
  }

  /** True when every projection has caught up and follows live. */
  isLive(): boolean {
    return this.processors.every((processor) => processor.state === 'live');
  }

  /**
   * Tells `listener` of each batch's client events once every projection has committed them (so
   * the read model's queries show them), in global order and once each; answers how to stop.
   * A listener runs synchronously right after the commit and must not throw (a throw is logged).
   */
  onCommitted(listener: CommittedListener): () => void {
    this.committedListeners = [...this.committedListeners, listener];
    return () => {
      this.committedListeners = this.committedListeners.filter((other) => other !== listener);
    };
  }

  /** Resolves true once every projection has applied `position`, false when one fails or the time is up. */
  waitForPosition(position: Position, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(position, timeoutMs);
  }

  /** Resolves true once every projection is live, false when one fails or the time is up. */
  waitUntilLive(timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(null, timeoutMs);
  }

  private outcome(target: Position | null): boolean | null {
    if (this.processors.some((processor) => processor.state === 'failed' || processor.state === 'stopped')) return false;
    const reached = this.processors.every((processor) =>
      target === null ? processor.state === 'live' : processor.position !== null && comparePositions(processor.position, target) >= 0,
    );
    return reached ? true : null;
  }

  private running(): ProjectionProcessor[] {
    return this.processors.filter((processor) => processor.state !== 'failed');
  }

  /** Where the source (re)subscribes: the lowest checkpoint of the projections it still feeds. */
  private lowestPosition(): Position | null {
    let lowest: Position | null = null;
    for (const { position } of this.running()) {
      if (position === null) return null;
      if (lowest === null || comparePositions(position, lowest) < 0) lowest = position;
    }
    return lowest;
  }

  /** The lowest checkpoint of all projections, failed ones too: every event up to it is in every table. */
  private committedUpTo(): Position | null {
    let lowest: Position | null = null;
    for (const { position } of this.processors) {
      if (position === null) return null;
      if (lowest === null || comparePositions(position, lowest) < 0) lowest = position;
    }
    return lowest;
  }

  /** Tells the committed listeners of the batch's events that every projection now holds and that were not told before. */
  private tellCommitted(batch: readonly SourcedEvent[]): void {
    const upTo = this.committedUpTo();
    const from = this.told;
    if (upTo === null || (from !== null && comparePositions(upTo, from) <= 0)) return;
    this.told = upTo;
    if (this.committedListeners.length === 0) return;
    const events = batch.flatMap(({ recorded, projected }) =>
      projected && (from === null || comparePositions(recorded.position, from) > 0) && comparePositions(recorded.position, upTo) <= 0
        ? [projected]
        : [],
    );
    if (events.length === 0) return;
    for (const listener of this.committedListeners) {
      try {
        listener(events);
      } catch (error) {
        this.logger.error({ err: error }, 'a listener of committed events failed');
      }
    }
  }

  /** Hands what the source tells to every projection still running, then answers the waiters it concerns. */
  private listener(logger: Logger): SourceListener {
    const each = (step: (processor: ProjectionProcessor) => void, then?: () => void) => {
      for (const processor of this.running()) step(processor);
      then?.();
      if (this.running().length === 0) this.source.end();
      this.waiters.settle();
    };
    return {
      subscribed: () => each((processor) => processor.subscribed()),
      events: (batch) =>
        each((processor) => processor.apply(batch), () => this.tellCommitted(batch)),
      reached: (position) => each((processor) => processor.advanceTo(position)),
      caughtUp: () => each((processor) => processor.caughtUp()),
      unavailable: ({ error, attempts, delayMs }) => {
        const from = this.lowestPosition();
        logger.warn(
          { position: from === null ? null : positionToToken(from), attempt: attempts, delayMs, err: error },
          'event store subscription dropped; resubscribing from the checkpoint',
        );
        const reconnect = { reason: error.message, attempts, nextAttemptAt: new Date(Date.now() + delayMs).toISOString() };
        each((processor) => processor.reconnecting(reconnect));
      },
      broken: (error) => each((processor) => processor.fail(error, null)),
    };
  }
}
