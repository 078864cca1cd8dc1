import { randomUUID } from 'node:crypto';
import { type GraphQLError, type GraphQLSchema } from 'graphql';
import { CloseCode, type Context, type ServerOptions } from 'graphql-ws';
import { type Extra } from 'graphql-ws/use/ws';
import { type Principal, type TokenVerifier, assertCanRead } from '../auth';
import { AppError, LimitExceededError } from '../errors';
import { type QueryLimits } from '../graphql/apollo';
import { type GraphQLContext, type Services } from '../graphql/context';
import { prepareSubscription } from '../graphql/subscriptionOperation';
import { appErrorWithin, requestError, toWireError } from '../graphql/wireError';
import { type Logger } from '../logger';
import { type RateLimiter } from './rateLimiter';

/** Most subscriptions one connection may hold at once. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 100;

/** The longest a timer can wait (about 24.8 days); a later expiry closes the connection then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Close reasons are at most 123 bytes. */
const closeReason = (label: string, message: string): string => Buffer.from(`${label}: ${message}`).subarray(0, 123).toString('utf8').replace(/\uFFFD$/, '');

/** A connection acknowledged with a verified token: who it is, the timer that ends it at the token's expiry, and its operation ids. */
export interface LiveConnection {
  principal: Principal;
  expiry: NodeJS.Timeout;
  operationIds: Map<string, string>;
}

/** What each connection carries besides graphql-ws's own: set once its token was verified (a type, as useServer's constraint needs). */
export type ConnectionState = { connection: LiveConnection };
type ConnectionExtra = Extra & Partial<ConnectionState>;
type LiveContext = Context<Record<string, unknown>, ConnectionExtra>;

/** What the subscription hooks need: the same verifier, services, limits and error masking as HTTP requests. */
export interface SubscriptionHookOptions {
  schema: GraphQLSchema;
  verifier: Pick<TokenVerifier, 'verifyToken'>;
  services: Services;
  logger: Logger;
  limits: QueryLimits;
  production: boolean;
  /** Charges each subscription to its caller's and tenant's request buckets; none: not rate limited. */
  rateLimiter?: RateLimiter;
}

/** The `authorization` connection parameter (any spelling of its name), as an Authorization header would carry it. */
const authorizationParam = (params: Readonly<Record<string, unknown>> | undefined): string | undefined => {
  const entry = Object.entries(params ?? {}).find(([name]) => name.toLowerCase() === 'authorization');
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
};

/** Closes the connection with `code` and a reason saying why; graphql-ws's own close after `false` is then ignored. */
const refuse = (ctx: LiveContext, code: CloseCode, reason: string): false => {
  ctx.extra.socket.close(code, reason);
  return false;
};

/**
 * Verifies the connection's token as an HTTP request's (same verifier, same roles: a Tenant
 * Auditor or Administrator), refusing with 4401 Unauthorized or 4403 Forbidden and the reason,
 * and closes the connection with 4401 when the token expires.
 */
const connect = async (options: SubscriptionHookOptions, ctx: LiveContext): Promise<boolean> => {
  let principal: Principal;
  let expiresAt: Date;
  try {
    ({ principal, expiresAt } = await options.verifier.verifyToken(authorizationParam(ctx.connectionParams)));
  } catch (error) {
    if (!(error instanceof AppError)) options.logger.error({ err: error }, 'token verification failed');
    return refuse(ctx, CloseCode.Unauthorized, closeReason('Unauthorized', error instanceof AppError ? error.message : 'Token could not be verified'));
  }
  try {
    assertCanRead(principal);
  } catch (error) {
    return refuse(ctx, CloseCode.Forbidden, closeReason('Forbidden', (error as Error).message));
  }
  const remainingMs = expiresAt.getTime() - Date.now();
  if (remainingMs <= 0) return refuse(ctx, CloseCode.Unauthorized, closeReason('Unauthorized', 'Token expired'));
  const expiry = setTimeout(() => ctx.extra.socket.close(CloseCode.Unauthorized, closeReason('Unauthorized', 'Token expired')), Math.min(remainingMs, MAX_TIMER_MS));
  expiry.unref();
  ctx.extra.connection = { principal, expiry, operationIds: new Map() };
  return true;
};

/** A subscription checked like an HTTP request and given its context, or the errors to answer. */
const subscribe = (options: SubscriptionHookOptions, ctx: LiveContext, id: string, payload: Parameters<typeof prepareSubscription>[1]) => {
  const connection = ctx.extra.connection!;
  const operationId = randomUUID();
  connection.operationIds.set(id, operationId);
  if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
    const error = new LimitExceededError(`At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions may run on one connection`, {
      limit: 'subscriptions',
      max: MAX_SUBSCRIPTIONS_PER_CONNECTION,
    });
    return [requestError(error)];
  }
  const refused = options.rateLimiter?.takeRequest(connection.principal);
  if (refused) return [requestError(refused)];
  const prepared = prepareSubscription(options.schema, payload, options.limits);
  if (Array.isArray(prepared)) return prepared;
  const contextValue: GraphQLContext = {
    principal: connection.principal,
    operationId,
    correlationId: operationId,
    services: options.services,
    stale: false,
    pipeline: { ran: true },
  };
  options.logger.info({ operationId, operationName: prepared.operationName ?? null, tenantId: connection.principal.tenantId }, 'subscription');
  const { document, operationName, variableValues } = prepared;
  return { schema: options.schema, document, operationName, variableValues, contextValue };
};

/** Errors in the one wire shape, with the subscription's operation id; failures of ours are logged. */
const toWire = (options: SubscriptionHookOptions, operationId: string | undefined, errors: readonly GraphQLError[]) =>
  errors.map((error) => {
    const ours = appErrorWithin(error);
    if (!ours || ours.code === 'INTERNAL_SERVER_ERROR') options.logger.error({ operationId, err: ours ?? error }, 'subscription failed');
    return toWireError(error, { production: options.production, operationId }, error.toJSON());
  });

/** The graphql-ws server options: authentication on connect, checked subscriptions, errors in our shape. */
export const subscriptionHooks = (options: SubscriptionHookOptions): ServerOptions<Record<string, unknown>, ConnectionExtra> => ({
  onConnect: (ctx) => connect(options, ctx),
  onSubscribe: (ctx, id, payload) => subscribe(options, ctx, id, payload),
  onNext: (ctx, id, _payload, _args, result) =>
    result.errors ? { ...result, errors: toWire(options, ctx.extra.connection?.operationIds.get(id), result.errors) } : undefined,
  onError: (ctx, id, _payload, errors) => {
    const operationId = ctx.extra.connection?.operationIds.get(id);
    ctx.extra.connection?.operationIds.delete(id);
    return toWire(options, operationId, errors);
  },
  onComplete: (ctx, id) => {
    ctx.extra.connection?.operationIds.delete(id);
  },
  onClose: (ctx) => {
    if (ctx.extra.connection) clearTimeout(ctx.extra.connection.expiry);
  },
});
