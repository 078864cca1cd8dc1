import { checkpointStore } from './checkpoints';
import { type ProjectionStatus } from './processor';
import { ProjectionRunner, type ProjectionRunnerOptions } from './runner';

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
