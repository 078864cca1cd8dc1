import { type ApolloServerPlugin } from '@apollo/server';
import { type GraphQLContext } from '../graphql/context';
import { type Logger } from '../logger';
import { createOperationLabels } from './operationLabel';
import { graphqlRequestSeconds, graphqlRequests, outcomeOfCode } from './registry';

const operationLabel = createOperationLabels();

/**
 * Counts, times and logs every GraphQL request Apollo runs, by operation name (bounded) and
 * outcome: `ok`, or the code of the first error (BAD_USER_INPUT, LIMIT_EXCEEDED, ...). The log
 * line carries the operation id the answer's `X-Operation-Id` has, never the request's headers.
 */
export const metricsPlugin = (logger: Logger): ApolloServerPlugin<GraphQLContext> => ({
  requestDidStart() {
    const started = process.hrtime.bigint();
    return Promise.resolve({
      willSendResponse({ request, operationName, response, contextValue }) {
        const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
        const labels = {
          operation: operationLabel(operationName ?? request.operationName),
          outcome: errors && errors.length > 0 ? outcomeOfCode(errors[0].extensions?.code) : 'ok',
        };
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        graphqlRequests.inc(labels);
        graphqlRequestSeconds.observe(labels, seconds);
        logger.info({ operationId: contextValue.operationId, operation: labels.operation, outcome: labels.outcome, ms: seconds * 1000 }, 'graphql operation');
        return Promise.resolve();
      },
    });
  },
});
