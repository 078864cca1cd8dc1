import { MAX_BATCH_SIZE } from './batchSize';
import { checkpointStore } from './checkpoints';
import { type ProjectionStatus } from './processor';
import { ProjectionRunner, type ProjectionRunnerOptions } from './runner';

/**
 * Empties every projection and applies all events again from the start; resolves when caught up.
 * No caller waits on a rebuild to read its writes, so unless told otherwise it applies the
 * largest batches allowed: fewer transactions, each index page written once per batch.
 */
export const rebuildProjections = async (options: ProjectionRunnerOptions & { timeoutMs?: number }): Promise<ProjectionStatus[]> => {
  const { db, projections } = options;
  // Marked as never run, each projection is dropped, recreated and replayed as it starts.
  db.transaction(() => {
    const checkpoints = checkpointStore(db);
    for (const projection of projections) checkpoints.reset(projection.name, 0);
  })();
  const runner = new ProjectionRunner({ ...options, batchSize: options.batchSize ?? MAX_BATCH_SIZE });
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
