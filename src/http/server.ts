import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type ApolloServer, HeaderMap } from '@apollo/server';
import { type TokenVerifier } from '../auth';
import { AppError, type ErrorCode } from '../errors';
import { positionFromToken } from '../eventstore';
import { type GraphQLContext, type Services } from '../graphql/context';
import { type Logger } from '../logger';

/** What the HTTP layer needs. */
export interface HttpServerOptions {
  apollo: ApolloServer<GraphQLContext>;
  verifier: TokenVerifier;
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
}

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
};

/** A GraphQL-shaped error answer for failures before GraphQL runs (auth, body, headers). */
const sendError = (
  res: ServerResponse,
  status: number,
  operationId: string,
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => sendJson(res, status, { errors: [{ message, extensions: { code, ...details, operationId } }] }, headers);

/**
 * Apollo answers some malformed requests (no query, variables that are not an object, a batch)
 * before any plugin runs; their errors get the operation id here.
 */
const withOperationId = (body: string, operationId: string): string => {
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: Record<string, unknown> }[] };
    if (!Array.isArray(parsed.errors)) return body;
    for (const error of parsed.errors) error.extensions = { ...error.extensions, operationId };
    return JSON.stringify(parsed);
  } catch {
    return body;
  }
};

/** The caller's `X-Correlation-Id`, when it is one we can record safely. */
const correlationIdOf = (req: IncomingMessage): string | undefined => {
  const header = req.headers['x-correlation-id'];
  return typeof header === 'string' && CORRELATION_ID.test(header) ? header : undefined;
};

class BodyTooLargeError extends Error {}

/** How far past the limit a body is still read (and dropped) so the 413 reaches the client intact. */
const DRAIN_FACTOR = 16;

/**
 * Reads the body up to `limit` bytes. A larger body is read to its end and dropped before the
 * refusal, so the client, still sending, is not cut off before it can read the 413; a body far
 * larger than that is cut off.
 */
const readBody = (req: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit * DRAIN_FACTOR) {
      reject(new BodyTooLargeError());
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit * DRAIN_FACTOR) {
        reject(new BodyTooLargeError());
        req.destroy();
      } else if (size <= limit) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => (size > limit ? reject(new BodyTooLargeError()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });

const headerMapOf = (req: IncomingMessage): HeaderMap => {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
};

/** The service's HTTP server: GraphQL at /graphql, the admin console, GraphiQL, health and readiness. */
export const createHttpServer = (options: HttpServerOptions): Server => {
  const { apollo, verifier, services, logger } = options;

  const handleGraphql = async (req: IncomingMessage, res: ServerResponse, operationId: string, url: URL) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      sendError(res, 405, operationId, 'BAD_USER_INPUT', 'Use POST (or GET for queries) on /graphql', {
        violations: [{ field: 'method', rule: 'method', message: 'Use POST (or GET for queries)' }],
      }, { Allow: 'GET, POST' });
      return;
    }
    // 1. Who is asking: every request needs a valid bearer token.
    let principal;
    try {
      principal = await verifier.verify(req.headers.authorization);
    } catch (error) {
      const message = error instanceof AppError ? error.message : 'Token could not be verified';
      if (!(error instanceof AppError)) logger.error({ operationId, err: error }, 'token verification failed');
      sendError(res, 401, operationId, 'UNAUTHENTICATED', message, {}, { 'WWW-Authenticate': 'Bearer' });
      req.resume();
      return;
    }
    // 2. The body, bounded.
    let raw: Buffer;
    try {
      raw = await readBody(req, options.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendError(res, 413, operationId, 'LIMIT_EXCEEDED', `Request body larger than ${options.maxBodyBytes} bytes`, {
          limit: 'bodySize',
          max: options.maxBodyBytes,
        }, { Connection: 'close' });
        return;
      }
      throw error;
    }
    let body: unknown = raw.toString('utf8');
    if (req.method === 'POST' && (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      try {
        body = JSON.parse(body as string);
      } catch {
        sendError(res, 400, operationId, 'BAD_USER_INPUT', 'The request body is not valid JSON', {
          violations: [{ field: 'body', rule: 'json', message: 'The request body is not valid JSON' }],
        });
        return;
      }
    }
    // 3. Read-your-writes across instances: wait (bounded) for the position the caller names.
    const context: GraphQLContext = {
      principal,
      operationId,
      correlationId: correlationIdOf(req) ?? operationId,
      services,
      stale: false,
    };
    const consistency = req.headers['consistency-position'];
    if (typeof consistency === 'string') {
      const position = positionFromToken(consistency);
      if (position === null) {
        const message = 'Consistency-Position must be a position a mutation answered';
        sendError(res, 400, operationId, 'BAD_USER_INPUT', message, {
          violations: [{ field: 'Consistency-Position', rule: 'position', message }],
        });
        return;
      }
      context.stale = !(await services.waitForProjections(position, options.consistencyWaitMs));
    }
    // 4. Run the operation.
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method, headers: headerMapOf(req), search: url.search, body },
      context: () => Promise.resolve(context),
    });
    const headers: Record<string, string> = { ...SECURITY_HEADERS };
    for (const [name, value] of response.headers) headers[name] = value;
    if (response.body.kind === 'complete') {
      const body = (response.status ?? 200) >= 400 ? withOperationId(response.body.string, operationId) : response.body.string;
      headers['content-length'] = String(Buffer.byteLength(body));
      res.writeHead(response.status ?? 200, headers);
      res.end(body);
      return;
    }
    res.writeHead(response.status ?? 200, headers);
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const route = async (req: IncomingMessage, res: ServerResponse, operationId: string) => {
    if (options.pages(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/graphql') {
      await handleGraphql(req, res, operationId, url);
      return;
    }
    if (url.pathname === '/health') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (url.pathname === '/ready') {
      const { ready, details } = options.readiness();
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', projections: details });
      return;
    }
    sendJson(res, 404, { error: 'Not found', paths: ['/', '/graphql', '/graphiql', '/health', '/ready'] });
  };

  return createServer((req, res) => {
    const operationId = randomUUID();
    const started = process.hrtime.bigint();
    res.setHeader('X-Operation-Id', operationId);
    res.on('finish', () => {
      logger.info(
        {
          operationId,
          method: req.method,
          path: req.url?.split('?')[0],
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      );
    });
    route(req, res, operationId).catch((error: unknown) => {
      logger.error({ operationId, err: error }, 'request failed');
      if (!res.headersSent) sendError(res, 500, operationId, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.destroy();
    });
  });
};
