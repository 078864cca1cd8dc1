import { auditTrailProjection } from './auditTrail';
import { clientListProjection } from './clientList';
import { type Projection } from './projection';

export { AUDIT_ACTIONS, auditTrailProjection, changesBetween } from './auditTrail';
export { type Checkpoint, CheckpointConflictError, type CheckpointStore, checkpointStore, readCheckpoint } from './checkpoints';
export { clientListProjection } from './clientList';
export type { ProjectedEvent, Projection } from './projection';
export {
  type ProjectionFailure,
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type ProjectionStatus,
  rebuildProjections,
  reconnectDelayMs,
} from './runner';
export { bindReadModelToStore } from './storeBinding';

/** Every projection the service keeps. */
export const ALL_PROJECTIONS: readonly Projection[] = [clientListProjection, auditTrailProjection];
