import { auditTrailProjection } from './auditTrail';
import { clientListProjection } from './clientList';
import { type Projection } from './projection';

export { AUDIT_ACTIONS, auditTrailProjection } from './auditTrail';
export { reconnectDelayMs } from './backoff';
export { checkBatchSize, DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, MIN_BATCH_SIZE } from './batchSize';
export { type Checkpoint, type CheckpointStore, checkpointStore, readCheckpoint } from './checkpoints';
export { clientListProjection } from './clientList';
export type { ProjectionFailure, ProjectionStatus } from './processor';
export type { ProjectedEvent, Projection } from './projection';
export { rebuildProjections } from './rebuild';
export { type CommittedListener, ProjectionRunner, type ProjectionRunnerOptions } from './runner';
export { bindReadModelToStore } from './storeBinding';

/** Every projection the service keeps. */
export const ALL_PROJECTIONS: readonly Projection[] = [clientListProjection, auditTrailProjection];
export { type HeadTracker, type ProjectionLag, createHeadTracker, probeHead, projectionLags } from './lag';
export { type RebuildProgress, rebuildOnline } from './onlineRebuild';
export { type ProjectionAdmin, type ProjectionsReport, createProjectionAdmin } from './projectionAdmin';
