import { type Violation } from './violation';

/** The machine-readable error codes callers see in `extensions.code`. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'LIMIT_EXCEEDED'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

/** Options of an AppError: its cause (kept for the log), and an HTTP status more precise than its code's. */
export interface AppErrorOptions {
  cause?: unknown;
  /** For a refusal of the HTTP request itself (405 for a method, 413 for a body), instead of the code's status. */
  httpStatus?: number;
}

/** Base of every error this service raises on purpose; shaped for the wire in one place (src/graphql/wireError.ts). */
export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  /** Extra machine-readable details added to `extensions`. */
  readonly details: Record<string, unknown>;
  /** The HTTP status when this error ends a request; undefined: its code's (see `httpStatusOf`). */
  readonly httpStatus: number | undefined;

  constructor(message: string, details: Record<string, unknown> = {}, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = details;
    this.httpStatus = options.httpStatus;
  }
}

/** Input broke one or more rules; every violation is reported at once. */
export class ValidationError extends AppError {
  readonly code = 'BAD_USER_INPUT';
  readonly violations: Violation[];

  constructor(violations: Violation[], options?: AppErrorOptions) {
    super(violations.map((v) => v.message).join('; ') || 'Invalid input', { violations }, options);
    this.violations = violations;
  }
}

/** The thing does not exist, or belongs to another tenant (the two are indistinguishable). */
export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
}

/** The change clashes with the current state (id taken, stale expectedVersion). */
export class ConflictError extends AppError {
  readonly code = 'CONFLICT';
}

/** No valid bearer token. */
export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED';
}

/** Authenticated, but the roles do not allow this. */
export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
}

/** A bound on requests was passed (page size, query depth or cost, body size). */
export class LimitExceededError extends AppError {
  readonly code = 'LIMIT_EXCEEDED';
}

/** Too many requests or mutations in too short a time; `details.retryAfterSeconds` says when to try again. */
export class RateLimitedError extends AppError {
  readonly code = 'RATE_LIMITED';
}

/** Something on our side failed; the message is safe to show, the cause stays in the logs. */
export class InternalError extends AppError {
  readonly code = 'INTERNAL_SERVER_ERROR';
}
