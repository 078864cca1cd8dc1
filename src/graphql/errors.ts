import { unwrapResolverError } from '@apollo/server/errors';
import { type ValidationError as ClassValidationError } from 'class-validator';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { AppError, type Violation } from '../errors';

/** Apollo's codes for a request that is not valid GraphQL for this schema, with the rule we report. */
const REQUEST_ERROR_RULES: Record<string, string> = {
  GRAPHQL_PARSE_FAILED: 'syntax',
  GRAPHQL_VALIDATION_FAILED: 'schema',
  BAD_USER_INPUT: 'variables',
  BAD_REQUEST: 'request',
  OPERATION_RESOLUTION_FAILURE: 'operationName',
  PERSISTED_QUERY_NOT_FOUND: 'persistedQuery',
  PERSISTED_QUERY_NOT_SUPPORTED: 'persistedQuery',
};

const classValidatorViolations = (errors: ClassValidationError[], path = ''): Violation[] =>
  errors.flatMap((error) => {
    const field = path ? `${path}.${error.property}` : error.property;
    return [
      ...Object.entries(error.constraints ?? {}).map(([rule, message]) => ({ field, rule, message })),
      ...classValidatorViolations(error.children ?? [], field),
    ];
  });

/** Our error behind a GraphQL error, however deep graphql-js and Apollo wrapped it. */
export const appErrorWithin = (error: unknown): AppError | undefined => {
  for (let current = unwrapResolverError(error); current; ) {
    if (current instanceof AppError) return current;
    current = current instanceof GraphQLError ? current.originalError : undefined;
  }
  return undefined;
};

const variableOf = (message: string): string => /Variable "\$([^"]+)"/.exec(message)?.[1] ?? 'query';

/**
 * The one place errors become GraphQL errors: our AppErrors keep their code and details, invalid
 * requests become BAD_USER_INPUT with violations, and anything unexpected becomes
 * INTERNAL_SERVER_ERROR without its message in production.
 */
export const createErrorFormatter =
  (options: { production: boolean }) =>
  (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { locations: formatted.locations, path: formatted.path };
    const ours = appErrorWithin(error);
    if (ours) return { ...base, message: ours.message, extensions: { code: ours.code, ...ours.details } };
    if (original instanceof ArgumentValidationError) {
      const violations = classValidatorViolations(original.extensions.validationErrors);
      return {
        ...base,
        message: violations.map((violation) => `${violation.field}: ${violation.message}`).join('; ') || 'Invalid arguments',
        extensions: { code: 'BAD_USER_INPUT', violations },
      };
    }
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
    if (code !== undefined && code in REQUEST_ERROR_RULES && !formatted.extensions?.violations) {
      return {
        ...base,
        message: formatted.message,
        extensions: {
          code: 'BAD_USER_INPUT',
          violations: [{ field: variableOf(formatted.message), rule: REQUEST_ERROR_RULES[code], message: formatted.message }],
        },
      };
    }
    return options.production
      ? { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }
      : { ...base, message: formatted.message, extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR' } };
  };
