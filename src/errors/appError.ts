/** The machine-readable error codes callers see in `extensions.code`. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'LIMIT_EXCEEDED'
  | 'INTERNAL_SERVER_ERROR';

/** One broken rule of one input field; `index` points into a list field. */
export interface Violation {
  field: string;
  rule: string;
  message: string;
  index?: number;
}

/** Base of every error this service raises on purpose; mapped to GraphQL in one place. */
export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  /** Extra machine-readable details added to `extensions`. */
  readonly details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.details = details;
  }
}

/** Input broke one or more rules; every violation is reported at once. */
export class ValidationError extends AppError {
  readonly code = 'BAD_USER_INPUT';
  readonly violations: Violation[];

  constructor(violations: Violation[]) {
    super(violations.map((v) => v.message).join('; ') || 'Invalid input', { violations });
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

/** Something on our side failed; the message is safe to show, the cause stays in the logs. */
export class InternalError extends AppError {
  readonly code = 'INTERNAL_SERVER_ERROR';
}
