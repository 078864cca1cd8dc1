import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  OperationTypeNode,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { type ApolloServerPlugin } from '@apollo/server';
import { getVariableValues } from 'graphql/execution/values';
import { AppError, type Rule, ValidationError } from '../errors';
import { checkQueryCost, maxDepthRule } from './limits';
import { documentTokensError } from './operationLimits';
import { type GraphQLContext } from './context';
import { appErrorWithin, requestError } from './wireError';

/** Bounds on what one operation may ask for. */
export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

/** Refuses a subscription sent over HTTP, saying where subscriptions run (graphql would answer null for it). */
export const subscriptionsOverWebSocketPlugin: ApolloServerPlugin<GraphQLContext> = {
  requestDidStart: () =>
    Promise.resolve({
      didResolveOperation({ operation }) {
        if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) return Promise.resolve();
        const message = 'Subscriptions run over a WebSocket (the graphql-transport-ws protocol of graphql-ws) on /graphql, not over HTTP';
        throw requestError(new ValidationError([{ field: 'query', rule: 'request', message }]));
      },
    }),
};

/** What a graphql-ws client sends to subscribe. */
export interface SubscribeRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** A subscription ready to run: the document and the operation, with the variables as sent. */
export interface PreparedSubscription {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | undefined;
  variableValues: Record<string, unknown>;
}

/** `error` (graphql's, at its place in the document) carrying our refusal, so it takes the one wire shape. */
const refusal = (error: GraphQLError | null, field: string, rule: Rule, message = error?.message ?? ''): GraphQLError =>
  new GraphQLError(message, {
    nodes: error?.nodes,
    source: error?.source,
    positions: error?.positions,
    originalError: new ValidationError([{ field, rule, message }]),
  });

/** graphql's validation errors as ours: limits stay LIMIT_EXCEEDED, anything else is a schema violation. */
const validationErrors = (schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits): GraphQLError[] =>
  validate(schema, document, [...specifiedRules, maxDepthRule(limits.maxDepth)]).map((error) =>
    appErrorWithin(error) ? error : refusal(error, 'query', 'schema'),
  );

const variableErrors = (schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>) => {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (!coerced.errors) return { coerced: coerced.coerced, errors: [] };
  const errors = coerced.errors.map((error) => refusal(error, /Variable "\$([^"]+)"/.exec(error.message)?.[1] ?? 'variables', 'variables'));
  return { coerced: null, errors };
};

/**
 * Checks a subscription the way an HTTP request is checked before it runs (syntax, schema, depth,
 * variables, cost), and that it is a subscription: over the WebSocket only subscriptions run.
 * Answers it ready to run, or the errors to send, each carrying our error (see wireError.ts).
 */
export const prepareSubscription = (
  schema: GraphQLSchema,
  request: SubscribeRequest,
  limits: QueryLimits,
): PreparedSubscription | GraphQLError[] => {
  const tooLong = documentTokensError(request.query);
  if (tooLong) return [requestError(tooLong)];
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return [refusal(error instanceof GraphQLError ? error : null, 'query', 'syntax', error instanceof Error ? error.message : 'Not a GraphQL document')];
  }
  const invalid = validationErrors(schema, document, limits);
  if (invalid.length > 0) return invalid;
  const operationName = request.operationName ?? undefined;
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    return [refusal(null, 'operationName', 'operationName', operationName ? `No operation named "${operationName}"` : 'Name the operation to run (operationName)')];
  }
  if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
    return [refusal(null, 'query', 'request', 'Only subscriptions run over the WebSocket; send queries and mutations with POST /graphql')];
  }
  const variableValues = request.variables ?? {};
  const { coerced, errors } = variableErrors(schema, operation, variableValues);
  if (coerced === null) return errors;
  try {
    checkQueryCost(schema, document, operationName, coerced, limits.maxCost);
  } catch (error) {
    if (error instanceof GraphQLError && error.originalError instanceof AppError) return [error];
    throw error;
  }
  return { document, operation, operationName, variableValues };
};
