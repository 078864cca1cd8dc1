import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type ApolloServer, type HTTPGraphQLResponse, HeaderMap } from '@apollo/server';
import { type Principal, type TokenVerifier } from '../auth';
import { InternalError, LimitExceededError } from '../errors';
import { type GraphQLContext, type Services } from '../graphql/context';
import { type Logger } from '../logger';
import { graphqlRequestProblem } from './graphqlRequest';
import { readBody } from './readBody';
import { API_HEADERS, Refusal, authenticate, badRequest, sendError, sendJson } from './answer';
import { AUDIT_EXPORT_PATH, AUDIT_JWKS_PATH, createAuditRoutes } from './auditRoutes';
import { DEFAULT_MAX_RESPONSE_BYTES, answerWithinSize, checkDocumentTokens } from './requestLimits';
import { type RateLimiter } from './rateLimiter';
import { chargeRequest } from './rateLimitRefusal';
import { type Idempotency, type KeyedRequest, sendReplay } from './idempotency';

/** What the HTTP layer needs. */
export interface HttpServerOptions {
  apollo: ApolloServer<GraphQLContext>;
  verifier: Pick<TokenVerifier, 'verify'>;
  services: Services;
  logger: Logger;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** How long a query carrying `Consistency-Position` may wait for this instance's projections. */
  consistencyWaitMs: number;
  /** Serves the browser pages (the admin console at /, GraphiQL); returns true when it took the request. */
  pages: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Readiness: every projection caught up and following the store. */
  readiness: () => { ready: boolean; details: unknown };
  /** Whether internal error messages are hidden from callers. */
  production: boolean;
  /** Largest answer sent, in bytes (default DEFAULT_MAX_RESPONSE_BYTES); a larger one is replaced by LIMIT_EXCEEDED. */
  maxResponseBytes?: number;
  /** Charges each request to its caller's and tenant's buckets; none: requests are not rate limited. */
  rateLimiter?: RateLimiter;
  /** Safe retries of mutations sent with an Idempotency-Key; absent: the header is ignored. */
  idempotency?: Idempotency;
  /** Standard registration (RFC 7591/7592, /register...); returns true when it took the request. */
  registrationRoutes?: (req: IncomingMessage, res: ServerResponse, url: URL, operationId: string) => Promise<boolean>;
  /** The operator's routes (/metrics, /admin/...); returns true when it took the request. */
  operatorRoutes?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `X-Correlation-Id`, when it is one we can record safely. */
const correlationIdOf = (req: IncomingMessage): string | undefined => {
  const header = req.headers['x-correlation-id'];
  return typeof header === 'string' && CORRELATION_ID.test(header) ? header : undefined;
};

const headerMapOf = (req: IncomingMessage): HeaderMap => {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
};

/** The request body (bounded), parsed when it is JSON. */
const bodyOf = async (req: IncomingMessage, maxBytes: number): Promise<unknown> => {
  const raw = await readBody(req, maxBytes);
  if (raw === null) {
    const error = new LimitExceededError(`Request body larger than ${maxBytes} bytes`, { limit: 'bodySize', max: maxBytes }, { httpStatus: 413 });
    throw new Refusal(error, { Connection: 'close' });
  }
  const text = raw.toString('utf8');
  if (req.method !== 'POST' || !(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Refusal(badRequest('body', 'json', 'The request body is not valid JSON'));
  }
};

/** Read-your-writes across instances: waits (bounded) for the position the caller names; true when the answer may be stale. */
const awaitConsistency = async (req: IncomingMessage, principal: Principal, services: Services, waitMs: number): Promise<boolean> => {
  const header = req.headers['consistency-position'];
  if (typeof header !== 'string') return false;
  const position = services.positions.open(principal.tenantId, header);
  if (position === null) {
    throw new Refusal(badRequest('Consistency-Position', 'position', 'Consistency-Position must be a position this service answered your tenant'));
  }
  return !(await services.waitForProjections(position, waitMs));
};

/**
 * Apollo's answer to the request. A refusal Apollo made before running the operation would lack
 * the operation id (Apollo formats it without the request); graphqlRequestProblem's checks prevent
 * them all, and one that still came is answered as our own refusal.
 */
const runOperation = async (
  apollo: ApolloServer<GraphQLContext>,
  req: IncomingMessage,
  url: URL,
  body: unknown,
  context: GraphQLContext,
): Promise<HTTPGraphQLResponse> => {
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'POST', headers: headerMapOf(req), search: url.search, body },
    context: () => Promise.resolve(context),
  });
  if (context.pipeline.ran) return response;
  const status = response.status ?? 500;
  throw new Refusal(
    status >= 500 ? new InternalError('Internal server error') : badRequest('request', 'request', 'The request is not a GraphQL request this server runs', status),
  );
};

/** Runs a request; a keyed mutation's answer is kept for its retries, or its attempt forgotten when it ends without one. */
const runKept = async (
  idempotency: Idempotency | undefined,
  keyed: KeyedRequest | null,
  run: () => Promise<HTTPGraphQLResponse>,
): Promise<HTTPGraphQLResponse> => {
  if (!idempotency || !keyed) return run();
  try {
    const response = await run();
    idempotency.finish(keyed, response);
    return response;
  } catch (error) {
    idempotency.abandon(keyed);
    throw error;
  }
};

/** A GraphQL request as the server has read it: who sent it, and what. */
interface ReadRequest {
  req: IncomingMessage;
  url: URL;
  body: unknown;
  principal: Principal;
  operationId: string;
}

/**
 * Runs the operation after read-your-writes, kept for its Idempotency-Key's retries when it has
 * one; an answer over the size bound is replaced by LIMIT_EXCEEDED (and kept so).
 */
const answerOperation = (options: HttpServerOptions, { req, url, body, principal, operationId }: ReadRequest, keyed: KeyedRequest | null) =>
  runKept(options.idempotency, keyed, async () => {
    const { services } = options;
    const stale = await awaitConsistency(req, principal, services, options.consistencyWaitMs);
    const correlationId = correlationIdOf(req) ?? operationId;
    const kept = keyed ? { idempotency: { request: { ...keyed.scope, fingerprint: keyed.fingerprint }, commands: 0 } } : {};
    const context: GraphQLContext = { principal, operationId, correlationId, services, stale, pipeline: { ran: false }, ...kept };
    const answer = await runOperation(options.apollo, req, url, body, context);
    return answerWithinSize(answer, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, { production: options.production, operationId });
  });

/** Writes Apollo's answer, adding our headers. */
const sendApolloResponse = async (res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> => {
  const headers: Record<string, string> = { ...API_HEADERS };
  for (const [name, value] of response.headers) headers[name] = value;
  if (response.body.kind === 'complete') {
    headers['content-length'] = String(Buffer.byteLength(response.body.string));
    res.writeHead(response.status ?? 200, headers);
    res.end(response.body.string);
    return;
  }
  res.writeHead(response.status ?? 200, headers);
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
};

/** The service's HTTP server: GraphQL at /graphql, the admin console, GraphiQL, health and readiness. */
export const createHttpServer = (options: HttpServerOptions): Server => {
  const { verifier, services, logger } = options;
  const auditRoutes = createAuditRoutes({ auditLog: services.auditLog, verifier, logger });

  const handleGraphql = async (req: IncomingMessage, res: ServerResponse, operationId: string, url: URL) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      throw new Refusal(badRequest('method', 'method', 'Use POST (or GET for queries) on /graphql', 405), { Allow: 'GET, POST' });
    }
    // 1. Who is asking. 2. The body, bounded. 3. Read-your-writes across instances.
    const principal = await authenticate(req, verifier, logger, operationId);
    if (options.rateLimiter) chargeRequest(req, options.rateLimiter, principal);
    const body = await bodyOf(req, options.maxBodyBytes);
    const problem = graphqlRequestProblem(req, url.searchParams, body);
    if (problem) throw new Refusal(problem);
    checkDocumentTokens(url, body);
    // 4. A mutation retried with its Idempotency-Key answers its first attempt's answer again.
    const { idempotency } = options;
    const keyed = idempotency?.keyOf(req, body, principal) ?? null;
    const replay = keyed && idempotency!.start(keyed);
    if (replay) return sendReplay(res, replay);
    const response = await answerOperation(options, { req, url, body, principal, operationId }, keyed);
    await sendApolloResponse(res, response);
  };

  const route = async (req: IncomingMessage, res: ServerResponse, operationId: string) => {
    if (options.pages(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/graphql') {
      await handleGraphql(req, res, operationId, url);
    } else if (url.pathname === '/health') {
      sendJson(res, 200, { status: 'ok' });
    } else if (url.pathname === '/ready') {
      const { ready, details } = options.readiness();
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', projections: details });
    } else if (
      !(await auditRoutes(req, res, url, operationId)) &&
      !(await options.registrationRoutes?.(req, res, url, operationId)) &&
      !(await options.operatorRoutes?.(req, res, url))
    ) {
      sendJson(res, 404, { error: 'Not found', paths: ['/', '/graphql', '/graphiql', '/health', '/ready', AUDIT_JWKS_PATH, AUDIT_EXPORT_PATH] });
    }
  };

  return createServer((req, res) => {
    const operationId = randomUUID();
    const started = process.hrtime.bigint();
    res.setHeader('X-Operation-Id', operationId);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ operationId, method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms }, 'request');
    });
    route(req, res, operationId).catch((error: unknown) => {
      const wire = { production: options.production, operationId };
      if (error instanceof Refusal) return sendError(res, error.error, wire, error.headers);
      logger.error({ operationId, err: error }, 'request failed');
      if (!res.headersSent) sendError(res, new InternalError('Internal server error', {}, { cause: error }), wire);
      else res.destroy();
    });
  });
};
