import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { GraphQLError, OperationTypeNode } from 'graphql';
import { type RateLimitedError, httpStatusOf } from '../errors';
import { type GraphQLContext } from './context';
import { mutationFieldCount } from './operationLimits';

/** What the plugin charges mutations to (see src/http/rateLimiter.ts). */
export interface MutationRateLimiter {
  takeMutations(caller: GraphQLContext['principal'], count: number): RateLimitedError | null;
}

/** The seconds a RATE_LIMITED refusal tells the caller to wait, as `Retry-After` carries them. */
export const retryAfterOf = (error: RateLimitedError): string => String(error.details.retryAfterSeconds);

/**
 * Charges each mutation field of an operation to the caller's and its tenant's mutation buckets
 * once the operation is known to be within every other limit, refusing it whole (429, Retry-After)
 * when a bucket lacks the tokens: nothing of a refused operation runs.
 */
export const mutationRateLimitPlugin = (limiter: MutationRateLimiter): ApolloServerPlugin<GraphQLContext> => ({
  requestDidStart: () =>
    Promise.resolve({
      didResolveOperation({ document, operation, contextValue }) {
        if (operation?.operation !== OperationTypeNode.MUTATION) return Promise.resolve();
        const refused = limiter.takeMutations(contextValue.principal, Math.max(mutationFieldCount(document, operation), 1));
        if (!refused) return Promise.resolve();
        const headers = new HeaderMap([['retry-after', retryAfterOf(refused)]]);
        throw new GraphQLError(refused.message, { originalError: refused, extensions: { http: { status: httpStatusOf(refused), headers } } });
      },
    }),
});
