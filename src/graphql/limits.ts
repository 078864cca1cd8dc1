import { type ApolloServerPlugin } from '@apollo/server';
import {
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { LimitExceededError } from '../errors';
import { DEFAULT_PAGE_SIZE } from '../readmodel';
import { type GraphQLContext } from './context';
import { introspectionEstimator } from './operationLimits';
import { requestError } from './wireError';

/** A bound on the request was passed: LIMIT_EXCEEDED, ending the request wherever it is raised. */
const limitError = (message: string, details: Record<string, unknown>) => requestError(new LimitExceededError(message, details));

/** Refuses operations nested deeper than `max` fields (introspection fields not counted). */
export const maxDepthRule =
  (max: number): ValidationRule =>
  (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    // A fragment's depth does not depend on where it is spread: work it out once, so a document
    // cannot make this rule walk the same fragment exponentially often.
    const fragmentDepths = new Map<string, number>();
    const depthOf = (selectionSet: SelectionSetNode | undefined): number => {
      let deepest = 0;
      for (const selection of selectionSet?.selections ?? []) {
        if (selection.kind === Kind.FIELD) {
          if (!selection.name.value.startsWith('__')) deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet));
        } else {
          deepest = Math.max(deepest, fragmentDepth(selection.name.value));
        }
      }
      return deepest;
    };
    const fragmentDepth = (name: string): number => {
      const known = fragmentDepths.get(name);
      if (known !== undefined) return known;
      fragmentDepths.set(name, 0); // a cycle (refused by graphql's own rules) counts nothing
      const depth = depthOf(fragments.get(name)?.selectionSet);
      fragmentDepths.set(name, depth);
      return depth;
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet);
        if (depth > max) {
          context.reportError(
            limitError(`The query is nested ${depth} fields deep; at most ${max} are allowed`, { limit: 'depth', max, actual: depth }),
          );
        }
      },
    };
  };

/** Each schema's introspection estimator, worked out once. */
const introspectionEstimators = new WeakMap<GraphQLSchema, ReturnType<typeof introspectionEstimator>>();

const introspectionEstimatorOf = (schema: GraphQLSchema) => {
  let estimator = introspectionEstimators.get(schema);
  if (estimator === undefined) introspectionEstimators.set(schema, (estimator = introspectionEstimator(schema)));
  return estimator;
};

/** Fields the cost estimate may visit before it refuses the query as too large to estimate. */
const MAX_ESTIMATED_NODES = 10_000;

/**
 * Throws LIMIT_EXCEEDED when the operation's estimated cost (page sizes multiply what they
 * contain) passes `max`, or when it is too large to estimate; `variables` are the coerced ones.
 */
export const checkQueryCost = (
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  max: number,
): void => {
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      operationName,
      variables,
      estimators: [introspectionEstimatorOf(schema), fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
      maxQueryNodes: MAX_ESTIMATED_NODES,
    });
  } catch {
    throw limitError(`The query has too many fields to estimate (at most ${MAX_ESTIMATED_NODES})`, {
      limit: 'nodes',
      max: MAX_ESTIMATED_NODES,
    });
  }
  if (cost > max) {
    throw limitError(`The query would cost ${cost}; at most ${max} is allowed (ask for smaller pages)`, {
      limit: 'cost',
      max,
      actual: cost,
    });
  }
};

/**
 * Refuses operations whose estimated cost passes `max` (see checkQueryCost). Fails closed: only
 * variables that do not fit the operation are left to execution, which reports them as BAD_USER_INPUT.
 */
export const queryCostPlugin = (schema: GraphQLSchema, max: number): ApolloServerPlugin<GraphQLContext> => ({
  requestDidStart() {
    return Promise.resolve({
      didResolveOperation({ document, request, operation }) {
        if (!operation) return Promise.resolve();
        const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
        if (coerced.errors) return Promise.resolve();
        checkQueryCost(schema, document, operation.name?.value, coerced.coerced, max);
        return Promise.resolve();
      },
    });
  },
});

/** Complexity of a connection field: its page size times what each node costs. */
export const connectionComplexity = ({ args, childComplexity }: { args: Record<string, unknown>; childComplexity: number }) => {
  const size = [args.first, args.last].find((value): value is number => typeof value === 'number') ?? DEFAULT_PAGE_SIZE;
  return 1 + Math.max(size, 1) * childComplexity;
};
