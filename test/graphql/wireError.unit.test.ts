import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { GraphQLError } from 'graphql';
import {
  ConflictError,
  type ErrorCode,
  HTTP_STATUS,
  InternalError,
  LimitExceededError,
  NotFoundError,
  RULES,
  UnauthenticatedError,
  ValidationError,
  httpStatusOf,
  isRule,
} from '../../src/errors';
import { AuditFilter, ClientFilter, ClientOrder } from '../../src/graphql/inputs/queryInputs';
import { requestError, toWireError } from '../../src/graphql/wireError';

const CODES: ErrorCode[] = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'LIMIT_EXCEEDED',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
];

describe('the HTTP status of an error that ends a request', () => {
  it('comes from one table that names every code', () => {
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...CODES].sort());
    expect(HTTP_STATUS).toMatchObject({ UNAUTHENTICATED: 401, BAD_USER_INPUT: 400, LIMIT_EXCEEDED: 400, RATE_LIMITED: 429, INTERNAL_SERVER_ERROR: 500 });
    expect(httpStatusOf(new UnauthenticatedError('no token'))).toBe(401);
    expect(httpStatusOf(new LimitExceededError('too deep'))).toBe(400);
  });

  it('is the error’s own when it names a more precise one (a body too large)', () => {
    expect(httpStatusOf(new LimitExceededError('too big', {}, { httpStatus: 413 }))).toBe(413);
    expect(requestError(new LimitExceededError('too costly')).extensions.http).toEqual({ status: 400 });
  });
});

describe('the one wire shape of an error', () => {
  const wire = { production: true, operationId: 'op-7' };

  it('keeps our code, message and details, and carries the operation id', () => {
    expect(toWireError(new ConflictError('stale', { currentVersion: 3 }), wire)).toEqual({
      message: 'stale',
      extensions: { code: 'CONFLICT', currentVersion: 3, operationId: 'op-7' },
    });
  });

  it('finds our error behind the GraphQL error a resolver’s throw became, with its locations and path', () => {
    const ours = new NotFoundError('No such client');
    const graphql = new GraphQLError('wrapped', { originalError: ours, path: ['authorizationCodeClient'] });
    const formatted = { ...graphql.toJSON(), locations: [{ line: 1, column: 3 }] };
    expect(toWireError(graphql, wire, formatted)).toEqual({
      message: 'No such client',
      locations: [{ line: 1, column: 3 }],
      path: ['authorizationCodeClient'],
      extensions: { code: 'NOT_FOUND', operationId: 'op-7' },
    });
  });

  it('lists violations for BAD_USER_INPUT and joins their messages', () => {
    const shaped = toWireError(
      new ValidationError([
        { field: 'name', rule: 'name', message: 'Name must not be empty' },
        { field: 'reason', rule: 'reason', message: 'Reason must not be empty' },
      ]),
      wire,
    );
    expect(shaped.message).toBe('Name must not be empty; Reason must not be empty');
    expect(shaped.extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ rule: 'name' }, { rule: 'reason' }] });
  });

  it('turns Apollo’s refusal of an invalid request into BAD_USER_INPUT with the rule it broke', () => {
    const formatted = { message: 'Variable "$id" of required type "ID!" was not provided.', extensions: { code: 'BAD_USER_INPUT' } };
    expect(toWireError(new GraphQLError(formatted.message), wire, formatted).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      operationId: 'op-7',
      violations: [{ field: 'id', rule: 'variables', message: formatted.message }],
    });
    const syntax = { message: 'Syntax Error: Expected Name', extensions: { code: 'GRAPHQL_PARSE_FAILED' } };
    expect(toWireError(new GraphQLError(syntax.message), wire, syntax).extensions?.violations).toEqual([
      { field: 'query', rule: 'syntax', message: syntax.message },
    ]);
  });

  it('hides anything unexpected in production, and shows its message otherwise', () => {
    const formatted = { message: 'database is locked', extensions: { code: 'SOMETHING' } };
    expect(toWireError(new Error('database is locked'), wire, formatted)).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR', operationId: 'op-7' },
    });
    expect(toWireError(new Error('database is locked'), { ...wire, production: false }, formatted)).toEqual({
      message: 'database is locked',
      extensions: { code: 'INTERNAL_SERVER_ERROR', operationId: 'op-7' },
    });
    expect(toWireError(new InternalError('The event store is unavailable'), wire).message).toBe('The event store is unavailable');
  });
});

describe('rules', () => {
  it('are one closed vocabulary', () => {
    expect(new Set(RULES).size).toBe(RULES.length);
    expect(isRule('tooMany')).toBe(true);
    expect(isRule('arrayMaxSize')).toBe(false);
  });
});

describe('the argument checks of the inputs', () => {
  it('each name the rule they are reported as', () => {
    const checks = [ClientFilter, AuditFilter, ClientOrder].flatMap((target) =>
      getMetadataStorage().getTargetValidationMetadatas(target, '', true, false),
    );
    expect(checks.length).toBeGreaterThanOrEqual(4);
    for (const check of checks) expect({ property: check.propertyName, rule: isRule((check.context as { rule?: unknown })?.rule) }).toEqual({ property: check.propertyName, rule: true });
  });
});
