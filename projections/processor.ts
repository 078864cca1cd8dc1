import { type Position, type RecordedEvent, StoreUnavailableError, comparePositions, positionToToken } from '../src/eventstore';
import { sqliteErrorCode } from '../src/jsutils';
import { type Logger } from '../src/logger';
import { type ReadModelDatabase } from '../src/readmodel';
import { type CheckpointStore, checkpointStore } from './checkpoints';
import { type ProjectedEvent, type Projection } from './projection';
import { type SourcedEvent } from './source';

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

/** Thrown to roll back the transaction that looks for the event a batch failed on. */
class LookedUp extends Error {}

/**
 * A read-model write that failed for want of room (a full disk): nothing is wrong with the
 * event, so instead of stopping for good the source resubscribes from the checkpoint after a
 * backoff, as when the store goes away, and the batch is applied once there is room again.
 */
const noRoom = (error: unknown): StoreUnavailableError | null =>
  sqliteErrorCode(error) === 'SQLITE_FULL'
    ? new StoreUnavailableError(
        'The read model is full (SQLITE_FULL): its disk has no room left; the projections retry from their checkpoints until there is',
        { sqliteCode: 'SQLITE_FULL' },
        { cause: error },
      )
    : null;

/**
 * Runs one projection over the batches the source hands it: applies the events it has not
 * applied and moves its checkpoint, in one transaction per batch; on a failure it stops and
 * reports the event, and applies nothing more.
 */
export class ProjectionProcessor {
  state: ProjectionStatus['state'] = 'stopped';
  position: Position | null = null;
  reconnect: ProjectionStatus['reconnect'] = null;
  private failure: ProjectionFailure | null = null;
  private eventsApplied = 0;
  private readonly handles: ReadonlySet<string>;
  private checkpoints: CheckpointStore | null = null;

  constructor(
    readonly projection: Projection,
    private readonly db: ReadModelDatabase,
    private readonly logger: Logger,
  ) {
    this.handles = new Set(projection.handles);
  }

  /** Creates the tables, rebuilds them if the projection's version changed, and reads the checkpoint: ready to catch up. */
  prepare(): void {
    const { db, projection } = this;
    const checkpoints = db.transaction(() => {
      const store = checkpointStore(db);
      const checkpoint = store.read(projection.name);
      if (checkpoint.version !== projection.version) {
        if (checkpoint.version !== 0) {
          this.logger.warn(
            { projection: projection.name, from: checkpoint.version, to: projection.version },
            'projection version changed: rebuilding it from the events',
          );
        }
        projection.reset(db);
        store.reset(projection.name, projection.version);
      }
      projection.init(db);
      return store;
    })();
    this.checkpoints = checkpoints;
    this.position = checkpoints.read(projection.name).position;
    this.failure = null;
    this.state = 'catchingUp';
  }

  /**
   * Applies the batch's events after the checkpoint and moves the checkpoint past them, in one
   * transaction, or fails; throws StoreUnavailableError, changing nothing, when the read model has no room.
   */
  apply(batch: readonly SourcedEvent[]): void {
    if (this.state === 'failed' || !this.checkpoints) return;
    const from = this.position;
    const fresh = from === null ? batch : batch.filter((item) => comparePositions(item.recorded.position, from) > 0);
    if (fresh.length === 0) return;
    // An event no one can read fails its whole batch, as if it were applied with the others.
    const unreadable = fresh.find((item) => item.unreadable !== null);
    const events = fresh
      .slice(0, unreadable ? fresh.indexOf(unreadable) : fresh.length)
      .flatMap((item) => (item.projected && this.handles.has(item.projected.event.type) ? [item.projected] : []));
    const last = fresh[fresh.length - 1].recorded.position;
    const checkpoints = this.checkpoints;
    const at: { step: 'apply' | 'read' | 'checkpoint' } = { step: 'apply' };
    try {
      this.db.transaction(() => {
        if (events.length > 0) this.projection.apply(events, this.db);
        at.step = 'read';
        if (unreadable) throw unreadable.unreadable;
        at.step = 'checkpoint';
        checkpoints.advance(this.projection.name, from, last);
      })();
    } catch (error) {
      const retry = noRoom(error);
      if (retry) throw retry;
      this.fail(error, at.step === 'apply' ? this.failingEvent(events) : at.step === 'read' ? unreadable!.recorded : null);
      return;
    }
    this.position = last;
    this.eventsApplied += fresh.length;
  }

  /**
   * Replaces this projection's tables with the ones a rebuild made in the attached database
   * `schema`, and its checkpoint with the rebuild's, in one transaction: a query sees either the
   * old tables or the new ones, never part of each. The rebuild must be at or past this
   * processor's position, so nothing this one applied is lost; the events between the two are
   * skipped as already applied.
   */
  replaceTables(schema: string, position: Position): void {
    const { db, projection } = this;
    if (!this.checkpoints) throw new Error(`Projection ${projection.name} is not running`);
    const checkpoints = this.checkpoints;
    const tables = db
      .prepare<[], { name: string }>(
        `SELECT name FROM "${schema}".sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND name NOT IN ('projection_checkpoints', 'read_model_store') ORDER BY name`,
      )
      .all()
      .map((row) => row.name);
    db.transaction(() => {
      // Rows are copied table by table; references between them are checked once all are in.
      db.pragma('defer_foreign_keys = ON');
      projection.reset(db);
      projection.init(db);
      for (const table of tables) {
        const columns = db
          .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}', '${schema}')`)
          .all()
          .map((column) => `"${column.name}"`)
          .join(', ');
        db.exec(`INSERT INTO main."${table}" (${columns}) SELECT ${columns} FROM "${schema}"."${table}"`);
      }
      checkpoints.reset(projection.name, projection.version);
      checkpoints.advance(projection.name, null, position);
    })();
    this.position = position;
  }

  /** Records that everything up to `position` was seen (events of other streams after the last client event, say). */
  advanceTo(position: Position): void {
    if (this.state === 'failed' || !this.checkpoints) return;
    if (this.position !== null && comparePositions(position, this.position) <= 0) return;
    try {
      this.checkpoints.advance(this.projection.name, this.position, position);
      this.position = position;
    } catch (error) {
      const retry = noRoom(error);
      if (retry) throw retry;
      this.fail(error, null);
    }
  }

  /** A subscription (re)started: catching up. */
  subscribed(): void {
    if (this.state === 'reconnecting' || this.state === 'catchingUp') this.state = 'catchingUp';
  }

  /** The subscription caught up: following live. */
  caughtUp(): void {
    if (this.state !== 'catchingUp') return;
    this.state = 'live';
    const reconnected = this.reconnect !== null;
    this.reconnect = null;
    this.logger.info(
      { projection: this.projection.name, position: this.positionToken(), eventsApplied: this.eventsApplied },
      reconnected ? 'projection resubscribed and caught up; following live' : 'projection caught up; following live',
    );
  }

  /** The store is unavailable: not live until the source has resubscribed and caught up. */
  reconnecting(reconnect: NonNullable<ProjectionStatus['reconnect']>): void {
    if (this.state === 'failed' || this.state === 'stopped') return;
    this.state = 'reconnecting';
    this.reconnect = reconnect;
  }

  /** Stops, unless it failed: a failure stays reported. */
  stop(): void {
    if (this.state !== 'failed') this.state = 'stopped';
    this.reconnect = null;
  }

  /** Stops for good and reports why, naming the event when there is one. */
  fail(error: unknown, event: RecordedEvent | null): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    this.failure = {
      message: error instanceof Error ? error.message : String(error),
      eventId: event?.id ?? null,
      eventType: event?.type ?? null,
      position: event ? positionToToken(event.position) : null,
      at: new Date().toISOString(),
    };
    this.logger.error(
      { projection: this.projection.name, failure: this.failure, err: error },
      'projection stopped: it cannot handle an event and will not skip it',
    );
  }

  /** Where the projection stands. */
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

  private positionToken(): string | null {
    return this.position === null ? null : positionToToken(this.position);
  }

  /**
   * The event a batch failed on: the batch applied again one event at a time, in a transaction
   * that is always rolled back. Null when it no longer fails that way.
   */
  private failingEvent(events: readonly ProjectedEvent[]): RecordedEvent | null {
    if (events.length <= 1) return events[0]?.recorded ?? null;
    const at: { event: ProjectedEvent | null } = { event: null };
    try {
      this.db.transaction(() => {
        for (const event of events) {
          at.event = event;
          this.projection.apply([event], this.db);
        }
        at.event = null;
        throw new LookedUp();
      })();
    } catch {
      // Rolled back either way: by LookedUp, or by the failure found again.
    }
    return at.event?.recorded ?? null;
  }
}
