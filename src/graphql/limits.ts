import { type ApolloServerPlugin } from '@apollo/server';
import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type GraphQLSchema,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { type GraphQLContext } from './context';

const limitError = (message: string, details: Record<string, unknown>) =>
  new GraphQLError(message, { extensions: { code: 'LIMIT_EXCEEDED', ...details } });

/** Refuses operations nested deeper than `max` fields (introspection fields not counted). */
export const maxDepthRule =
  (max: number): ValidationRule =>
  (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const depthOf = (selectionSet: SelectionSetNode | undefined, seen: ReadonlySet<string>): number => {
      if (!selectionSet) return 0;
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value.startsWith('__')) continue;
          deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, seen));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, seen));
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (fragment && !seen.has(name)) deepest = Math.max(deepest, depthOf(fragment.selectionSet, new Set([...seen, name])));
        }
        if (deepest > max) return deepest;
      }
      return deepest;
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, new Set());
        if (depth > max) {
          context.reportError(
            limitError(`The query is nested ${depth} fields deep; at most ${max} are allowed`, {
              limit: 'depth',
              max,
              actual: depth,
            }),
          );
        }
      },
    };
  };

/** Refuses operations whose estimated cost (page sizes multiply what they contain) passes `max`. */
export const queryCostPlugin = (schema: GraphQLSchema, max: number): ApolloServerPlugin<GraphQLContext> => ({
  requestDidStart() {
    return Promise.resolve({
      didResolveOperation({ document, request }) {
        let cost: number;
        try {
          cost = getComplexity({
            schema,
            query: document,
            operationName: request.operationName ?? undefined,
            variables: request.variables ?? {},
            estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
          });
        } catch (error) {
          // Variables that do not fit the operation: execution reports them as BAD_USER_INPUT.
          if (error instanceof GraphQLError) return Promise.resolve();
          throw error;
        }
        if (cost > max) {
          throw limitError(`The query would cost ${cost}; at most ${max} is allowed (ask for smaller pages)`, {
            limit: 'cost',
            max,
            actual: cost,
          });
        }
        return Promise.resolve();
      },
    });
  },
});

/** Complexity of a connection field: its page size times what each node costs. */
export const connectionComplexity = ({ args, childComplexity }: { args: Record<string, unknown>; childComplexity: number }) => {
  const size = [args.first, args.last].find((value): value is number => typeof value === 'number') ?? 50;
  return 1 + Math.max(size, 1) * childComplexity;
};
