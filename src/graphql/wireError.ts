import { unwrapResolverError } from '@apollo/server/errors';
import { type ValidationError as ClassValidationError } from 'class-validator';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { AppError, type Rule, ValidationError, type Violation, httpStatusOf, isRule } from '../errors';

/** Apollo's codes for a request that is not valid GraphQL for this schema, with the rule we report. */
const REQUEST_ERROR_RULES: Readonly<Record<string, Rule>> = {
  GRAPHQL_PARSE_FAILED: 'syntax',
  GRAPHQL_VALIDATION_FAILED: 'schema',
  BAD_USER_INPUT: 'variables',
  BAD_REQUEST: 'request',
  OPERATION_RESOLUTION_FAILURE: 'operationName',
  PERSISTED_QUERY_NOT_FOUND: 'persistedQuery',
  PERSISTED_QUERY_NOT_SUPPORTED: 'persistedQuery',
};

/** The rule a class-validator constraint stands for: the `rule` its decorator names in `context` (see inputs/bounds.ts). */
const ruleOf = (error: ClassValidationError, constraint: string): Rule => {
  const rule: unknown = (error.contexts?.[constraint] as { rule?: unknown } | undefined)?.rule;
  return isRule(rule) ? rule : 'request';
};

const classValidatorViolations = (errors: ClassValidationError[], path = ''): Violation[] =>
  errors.flatMap((error) => {
    const field = path ? `${path}.${error.property}` : error.property;
    return [
      ...Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({ field, rule: ruleOf(error, constraint), message })),
      ...classValidatorViolations(error.children ?? [], field),
    ];
  });

/** Our error behind a GraphQL error, however deep graphql-js and Apollo wrapped it; type-graphql's argument checks become ours. */
export const appErrorWithin = (error: unknown): AppError | undefined => {
  for (let current = unwrapResolverError(error); current; ) {
    if (current instanceof AppError) return current;
    if (current instanceof ArgumentValidationError) return new ValidationError(classValidatorViolations(current.extensions.validationErrors));
    current = current instanceof GraphQLError ? current.originalError : undefined;
  }
  return undefined;
};

/** An Apollo refusal of a request that is not valid GraphQL, as our ValidationError. */
const requestErrorOf = (formatted: GraphQLFormattedError | undefined): ValidationError | undefined => {
  const code = formatted?.extensions?.code;
  if (formatted === undefined || typeof code !== 'string' || !(code in REQUEST_ERROR_RULES) || formatted.extensions?.violations) {
    return undefined;
  }
  const field = /Variable "\$([^"]+)"/.exec(formatted.message)?.[1] ?? 'query';
  return new ValidationError([{ field, rule: REQUEST_ERROR_RULES[code], message: formatted.message }]);
};

/** How errors are shaped: whether internal messages are hidden, and the request's operation id. */
export interface WireOptions {
  production: boolean;
  /** The request's operation id; Apollo's answers get theirs from the operation plugin (apollo.ts). */
  operationId?: string;
}

/**
 * The one shape every error takes on the wire, for Apollo's answers and the HTTP layer's alike:
 * `message`, `extensions.code` and the code's details, `extensions.operationId`, and the
 * locations and path GraphQL gave (`formatted`). Our errors keep their code; type-graphql's
 * argument checks and Apollo's refusals of invalid requests become BAD_USER_INPUT with
 * violations; anything else is INTERNAL_SERVER_ERROR, its message hidden in production.
 */
export const toWireError = (error: unknown, options: WireOptions, formatted?: GraphQLFormattedError): GraphQLFormattedError => {
  const where = formatted ? { locations: formatted.locations, path: formatted.path } : {};
  const stamped = options.operationId === undefined ? {} : { operationId: options.operationId };
  const ours = appErrorWithin(error) ?? requestErrorOf(formatted);
  if (ours) return { ...where, message: ours.message, extensions: { code: ours.code, ...ours.details, ...stamped } };
  if (options.production || formatted === undefined) {
    return { ...where, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', ...stamped } };
  }
  return { ...where, message: formatted.message, extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR', ...stamped } };
};

/** A GraphQL error that ends the request before execution, answered with the HTTP status of `error` (see HTTP_STATUS). */
export const requestError = (error: AppError): GraphQLError =>
  new GraphQLError(error.message, { originalError: error, extensions: { http: { status: httpStatusOf(error) } } });
