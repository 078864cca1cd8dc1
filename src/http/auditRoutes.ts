import { type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type AuditLog } from '../audit/auditLog';
import { exportChoiceOf } from '../audit/exportRequest';
import { type TokenVerifier, assertCanRead } from '../auth';
import { AppError } from '../errors';
import { type Logger } from '../logger';
import { API_HEADERS, Refusal, authenticate, badRequest, sendJson } from './answer';

/** Where the audit key's JWKS is served (public: it only verifies). */
export const AUDIT_JWKS_PATH = '/.well-known/audit-log-jwks.json';

/** Where an authenticated caller downloads the tenant's audit log export. */
export const AUDIT_EXPORT_PATH = '/audit/export';

const CONTENT_TYPES = { ndjson: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

/** What the audit routes need. */
export interface AuditRoutesOptions {
  auditLog: AuditLog;
  verifier: Pick<TokenVerifier, 'verify'>;
  logger: Logger;
}

const onlyGet = (req: IncomingMessage) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new Refusal(badRequest('method', 'method', `Use GET on ${new URL(req.url ?? '/', 'http://localhost').pathname}`, 405), { Allow: 'GET, HEAD' });
  }
};

/** The download: the same filters as `audit export` in the query string, streamed as it is read. */
const sendExport = async (req: IncomingMessage, res: ServerResponse, url: URL, operationId: string, options: AuditRoutesOptions) => {
  const principal = await authenticate(req, options.verifier, options.logger, operationId);
  assertCanRead(principal);
  const query = url.searchParams;
  const choice = exportChoiceOf({ client: query.get('client'), from: query.get('from'), to: query.get('to'), format: query.get('format'), since: query.get('since') });
  const { head, chunks } = await options.auditLog.exportLog(principal.tenantId, choice);
  const name = `audit-log-${principal.tenantId.replace(/[^A-Za-z0-9._-]/g, '_')}-${head.treeSize}.${choice.format}`;
  res.writeHead(200, { ...API_HEADERS, 'Content-Type': CONTENT_TYPES[choice.format], 'Content-Disposition': `attachment; filename="${name}"` });
  if (req.method === 'HEAD') return void res.end();
  await pipeline(Readable.from(chunks), res);
};

/** The audit log's HTTP routes: its public key, and the export download. Answers false for any other path. */
export const createAuditRoutes =
  (options: AuditRoutesOptions) =>
  async (req: IncomingMessage, res: ServerResponse, url: URL, operationId: string): Promise<boolean> => {
    if (url.pathname === AUDIT_JWKS_PATH) {
      onlyGet(req);
      sendJson(res, 200, options.auditLog.keySet(), { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' });
      return true;
    }
    if (url.pathname === AUDIT_EXPORT_PATH) {
      onlyGet(req);
      await sendExport(req, res, url, operationId, options).catch((error: unknown) => {
        // Bad filters, a role that may not read: answered in the one wire shape, before anything is sent.
        throw error instanceof AppError && !res.headersSent ? new Refusal(error) : error;
      });
      return true;
    }
    return false;
  };
