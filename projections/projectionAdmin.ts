import { randomUUID } from 'node:crypto';
import { ConflictError, ValidationError } from '../src/errors';
import { type EventStore } from '../src/eventstore';
import { type Logger } from '../src/logger';
import { type ReadModelDatabase } from '../src/readmodel';
import { type HeadTracker, type ProjectionLag, projectionLags } from './lag';
import { type RebuildProgress, rebuildOnline } from './onlineRebuild';
import { type Projection } from './projection';
import { type ProjectionRunner } from './runner';

/** What operators see: each projection against the head, and the latest online rebuild. */
export interface ProjectionsReport {
  projections: ProjectionLag[];
  rebuild: RebuildProgress | null;
}

/** The running server's projections as operators manage them: status, and one online rebuild at a time. */
export interface ProjectionAdmin {
  report(): Promise<ProjectionsReport>;
  /** Starts rebuilding the named projections (all when none is named); answers its progress at once. */
  rebuild(names: readonly string[]): RebuildProgress;
  /** Stops a rebuild under way, leaving the running projections as they were (on stop). */
  stop(): Promise<void>;
}

/** The admin over one runner; `buildFile` is where rebuilds build their new tables. */
export const createProjectionAdmin = (options: {
  store: EventStore;
  db: ReadModelDatabase;
  runner: ProjectionRunner;
  projections: readonly Projection[];
  heads: HeadTracker;
  logger: Logger;
  buildFile: string;
}): ProjectionAdmin => {
  let latest: RebuildProgress | null = null;
  let running: Promise<void> = Promise.resolve();
  const stopping = new AbortController();
  const known = options.projections.map((projection) => projection.name);
  return {
    async report() {
      return { projections: await projectionLags(options.runner.status(), options.store, options.heads), rebuild: latest };
    },
    rebuild(names) {
      const unknown = names.filter((name) => !known.includes(name));
      if (unknown.length > 0) {
        throw new ValidationError([
          { field: 'projection', rule: 'projection', message: `No projection named ${unknown.join(', ')}; the projections are ${known.join(', ')}` },
        ]);
      }
      if (latest?.state === 'running') {
        throw new ConflictError(`A rebuild (${latest.id}) is already running: one at a time`, { rebuild: latest.id });
      }
      const chosen = names.length === 0 ? options.projections : options.projections.filter((projection) => names.includes(projection.name));
      const progress: RebuildProgress = {
        id: randomUUID(),
        state: 'running',
        projections: chosen.map((projection) => projection.name),
        current: null,
        swapped: [],
        position: 0,
        head: null,
        eventsApplied: 0,
        startedAt: new Date().toISOString(),
        finishedAt: null,
        error: null,
      };
      latest = progress;
      options.logger.info({ rebuild: progress.id, projections: progress.projections }, 'online rebuild started');
      running = rebuildOnline(chosen, { ...options, signal: stopping.signal }, progress).then(() =>
        options.logger.info({ rebuild: progress.id, state: progress.state }, 'online rebuild finished'),
      );
      return progress;
    },
    stop() {
      stopping.abort();
      return running;
    },
  };
};
