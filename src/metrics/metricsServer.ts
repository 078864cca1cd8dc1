import { type Server, createServer } from 'node:http';
import { type Logger } from '../logger';
import { serveMetrics } from './serveMetrics';

/**
 * The metrics on a port of their own (METRICS_PORT): `GET /metrics`, without a token, for a
 * scraper on a network the API's callers do not reach. Anything else is 404.
 */
export const createMetricsServer = (logger: Logger): Server =>
  createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found: GET /metrics\n');
      return;
    }
    serveMetrics(res).catch((error: unknown) => {
      logger.error({ err: error }, 'collecting the metrics failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
