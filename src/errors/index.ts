export type { AppErrorOptions, ErrorCode } from './appError';
export {
  AppError,
  ConflictError,
  ForbiddenError,
  InternalError,
  LimitExceededError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from './appError';
export { HTTP_STATUS, httpStatusOf } from './httpStatus';
export { RULES, type Rule, type Violation, isRule } from './violation';
