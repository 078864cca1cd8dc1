import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { type GraphQLSchema } from 'graphql';
import { type Logger } from '../logger';
import { metricsPlugin } from '../metrics/apolloMetrics';
import { type GraphQLContext } from './context';
import { maxDepthRule, queryCostPlugin } from './limits';
import { DEFAULT_MAX_MUTATIONS, maxMutationsRule } from './operationLimits';
import { type MutationRateLimiter, mutationRateLimitPlugin } from './rateLimitPlugin';
import { type QueryLimits, subscriptionsOverWebSocketPlugin } from './subscriptionOperation';
import { appErrorWithin, toWireError } from './wireError';

export type { QueryLimits } from './subscriptionOperation';

/** Gives every error the request's operation id, says when an answer may be stale, and logs failures. */
const operationPlugin = (logger: Logger): ApolloServerPlugin<GraphQLContext> => ({
  requestDidStart({ contextValue }) {
    contextValue.pipeline.ran = true;
    return Promise.resolve({
      didEncounterErrors({ contextValue, errors }) {
        for (const error of errors) {
          const ours = appErrorWithin(error);
          const cause = ours ?? error.originalError ?? error;
          if (ours ? ours.code === 'INTERNAL_SERVER_ERROR' : error.extensions?.code === undefined) {
            logger.error({ operationId: contextValue.operationId, err: cause }, 'request failed');
          }
        }
        return Promise.resolve();
      },
      willSendResponse({ contextValue, response }) {
        if (response.body.kind !== 'single') return Promise.resolve();
        const result = response.body.singleResult;
        // The errors as formatError shaped them (toWireError), each given the operation id here, once.
        if (result.errors) {
          result.errors = result.errors.map((error) => ({ ...error, extensions: { ...error.extensions, operationId: contextValue.operationId } }));
        }
        if (contextValue.stale) result.extensions = { ...result.extensions, stale: true };
        return Promise.resolve();
      },
    });
  },
});

/** The Apollo server for the schema, with our limits, error mapping and operation ids. */
export const createApolloServer = (options: {
  schema: GraphQLSchema;
  production: boolean;
  limits: QueryLimits;
  logger: Logger;
  /** Most mutation fields one operation may hold (default DEFAULT_MAX_MUTATIONS). */
  maxMutations?: number;
  /** Charges mutations to their caller's and tenant's buckets; none: mutations are not rate limited. */
  rateLimiter?: MutationRateLimiter;
}): ApolloServer<GraphQLContext> =>
  new ApolloServer<GraphQLContext>({
    schema: options.schema,
    introspection: true,
    // Only full queries: nothing here benefits from automatic persisted queries.
    persistedQueries: false,
    // Every request must carry a bearer token, which browsers never attach on their own, so a
    // cross-site request cannot act for a user; GET queries need no extra preflight header.
    csrfPrevention: false,
    includeStacktraceInErrorResponses: !options.production,
    // main.ts stops everything on SIGTERM/SIGINT; Apollo's own handler would re-raise the signal
    // and end the process before the databases are closed.
    stopOnTerminationSignals: false,
    // Errors are shaped in one place; the operation plugin adds the request's operation id.
    formatError: (formatted, error) => toWireError(error, { production: options.production }, formatted),
    validationRules: [maxDepthRule(options.limits.maxDepth), maxMutationsRule(options.maxMutations ?? DEFAULT_MAX_MUTATIONS)],
    plugins: [
      operationPlugin(options.logger),
      metricsPlugin(options.logger),
      queryCostPlugin(options.schema, options.limits.maxCost),
      // After the cost check, so an operation refused for its cost is not charged.
      ...(options.rateLimiter ? [mutationRateLimitPlugin(options.rateLimiter)] : []),
      subscriptionsOverWebSocketPlugin,
      // Apollo's own landing page loads from a CDN; GraphiQL is served offline instead.
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
