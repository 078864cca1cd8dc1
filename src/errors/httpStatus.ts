import { type AppError, type ErrorCode } from './appError';

/**
 * The HTTP status of a request an error ends before GraphQL runs it (a token, a body, a limit),
 * by error code. Errors raised while a valid request executes answer 200 with `errors`, as
 * GraphQL over HTTP does.
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LIMIT_EXCEEDED: 400,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
};

/** The HTTP status for a request that `error` ends: its own when it names one, else its code's. */
export const httpStatusOf = (error: AppError): number => error.httpStatus ?? HTTP_STATUS[error.code];
