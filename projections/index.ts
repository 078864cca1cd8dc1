import { auditTrailProjection } from './auditTrail';
import { clientListProjection } from './clientList';
import { type Projection } from './projection';

export { AUDIT_ACTIONS, type AuditRow, auditTrailProjection, changesBetween, type FieldChange } from './auditTrail';
export { CheckpointConflictError, readCheckpoint } from './checkpoints';
export { bindReadModelToStore } from './storeBinding';
export { type ClientRow, clientFromRow, clientListProjection, searchKey } from './clientList';
export type { ProjectedEvent, Projection } from './projection';
export {
  type ProjectionFailure,
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type ProjectionStatus,
  rebuildProjections,
  reconnectDelayMs,
} from './runner';

/** Every projection the service keeps. */
export const ALL_PROJECTIONS: readonly Projection[] = [clientListProjection, auditTrailProjection];
