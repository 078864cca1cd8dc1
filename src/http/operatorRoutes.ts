import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type ProjectionAdmin } from '../../projections';
import { isOperatorBearer } from '../auth';
import { AppError, UnauthenticatedError } from '../errors';
import { isJsonObject } from '../jsutils';
import { serveMetrics } from '../metrics';
import { Refusal, badRequest, sendJson } from './answer';
import { readBody } from './readBody';

/** Where the metrics are served. */
export const METRICS_PATH = '/metrics';

/** The projections' status (GET) and, under it, the online rebuild (POST). */
export const ADMIN_PROJECTIONS_PATH = '/admin/projections';
export const ADMIN_REBUILD_PATH = '/admin/projections/rebuild';

/** What the operator routes need. */
export interface OperatorRoutesOptions {
  /** The operator token (DATA_DIR/operator-token) every operator route requires. */
  token: string;
  /** Whether `/metrics` is served here (METRICS_PORT unset). */
  metrics: boolean;
  projections: ProjectionAdmin;
}

const only = (req: IncomingMessage, method: 'GET' | 'POST') => {
  if (req.method !== method) {
    throw new Refusal(badRequest('method', 'method', `Use ${method} on ${new URL(req.url ?? '/', 'http://localhost').pathname}`, 405), { Allow: method });
  }
};

/** Operator routes answer the operator token only: the service's own tokens (any tenant's) are refused. */
const assertOperator = (req: IncomingMessage, token: string) => {
  if (!isOperatorBearer(req.headers.authorization, token)) {
    req.resume();
    throw new Refusal(new UnauthenticatedError('This endpoint needs the operator token (the file operator-token in DATA_DIR) as a bearer token'), {
      'WWW-Authenticate': 'Bearer realm="operator"',
    });
  }
};

/** The projections to rebuild, from `{"projections": [names]}`; none (or no body) means all. */
const projectionsToRebuild = async (req: IncomingMessage): Promise<string[]> => {
  const raw = await readBody(req, 4096);
  if (raw === null) throw new Refusal(badRequest('body', 'json', 'The request body is larger than 4096 bytes'));
  const text = raw.toString('utf8').trim();
  if (text === '') return [];
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Refusal(badRequest('body', 'json', 'The request body is not valid JSON'));
  }
  const names = isJsonObject(body) ? (body.projections ?? []) : null;
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
    throw new Refusal(badRequest('projections', 'json', 'The body must be {"projections": ["name", ...]}, or empty for every projection'));
  }
  return names;
};

/**
 * The operator's routes on the main port: `/metrics` (unless it has a port of its own), the
 * projections' status and the online rebuild. Each needs the operator token. False for other paths.
 */
export const createOperatorRoutes =
  (options: OperatorRoutesOptions) =>
  async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (url.pathname === METRICS_PATH && options.metrics) {
      only(req, 'GET');
      assertOperator(req, options.token);
      await serveMetrics(res);
      return true;
    }
    if (url.pathname === ADMIN_PROJECTIONS_PATH) {
      only(req, 'GET');
      assertOperator(req, options.token);
      sendJson(res, 200, await options.projections.report());
      return true;
    }
    if (url.pathname === ADMIN_REBUILD_PATH) {
      only(req, 'POST');
      assertOperator(req, options.token);
      const names = await projectionsToRebuild(req);
      try {
        sendJson(res, 202, { rebuild: options.projections.rebuild(names) });
      } catch (error) {
        throw error instanceof AppError ? new Refusal(error) : error;
      }
      return true;
    }
    return false;
  };
