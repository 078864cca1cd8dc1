export type { ErrorCode, Violation } from './appError';
export {
  AppError,
  ConflictError,
  ForbiddenError,
  InternalError,
  LimitExceededError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from './appError';
