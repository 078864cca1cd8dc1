import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type TokenVerifier, canWrite } from '../auth';
import { type RateLimiter, type RateLimits } from './rateLimiter';
import { RegistrationError, invalidMetadata, invalidToken } from '../registration/registrationError';
import { type RegistrationService } from '../registration/registrationService';
import { readBody } from './readBody';
import { sendJson } from './answer';

/** Where clients register (RFC 7591) with an initial access token. */
export const REGISTRATION_PATH = '/register';
/** The metadata fragment the platform's authorization server merges into its RFC 8414 document. */
export const REGISTRATION_METADATA_PATH = '/.well-known/oauth-authorization-server';

/** Open registration's buckets: per source address within a tenant (the principal's) and per tenant; mutations are not charged apart. */
export const OPEN_REGISTRATION_LIMITS: RateLimits = {
  principalRequests: { burst: 20, perSecond: 0.2 },
  principalMutations: { burst: 1, perSecond: 0 },
  tenantRequests: { burst: 200, perSecond: 1 },
  tenantMutations: { burst: 1, perSecond: 0 },
};

/** What the registration routes need. */
export interface RegistrationRoutesOptions {
  registration: RegistrationService;
  verifier: Pick<TokenVerifier, 'verify'>;
  maxBodyBytes: number;
  /** Tenants whose open registration (no token) is on: OPEN_REGISTRATION_TENANTS. */
  openTenants: readonly string[];
  /** Charges open registrations per source address and per tenant. */
  openRateLimiter?: RateLimiter;
  /** The most live clients registered without a token per tenant, and how many the tenant has now. */
  openQuota?: { max: number; used: (tenantId: string) => number };
}

/** The actor of a registration without a token. */
export const ANONYMOUS_REGISTRATION = { id: 'anonymous', name: 'Anonymous registration' } as const;

const bearerOf = (req: IncomingMessage): string | null => {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match ? match[1] : null;
};

/** The JSON body: application/json only, bounded, well formed. */
const jsonBody = async (req: IncomingMessage, maxBytes: number): Promise<unknown> => {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (!/^application\/json\s*(;|$)/.test(type)) {
    req.resume();
    throw invalidMetadata('The request must be JSON: Content-Type application/json');
  }
  const raw = await readBody(req, maxBytes);
  if (raw === null) throw new RegistrationError(413, 'invalid_client_metadata', `The request body is larger than ${maxBytes} bytes`, { Connection: 'close' });
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw invalidMetadata('The request body is not valid JSON');
  }
};

const baseUrlOf = (req: IncomingMessage): string => `http://${req.headers.host ?? 'localhost'}`;

const answerWith = (res: ServerResponse, status: number, body: Record<string, unknown>, ignored: string[], req: IncomingMessage) => {
  const clientId = String(body.client_id);
  const headers: Record<string, string> = ignored.length > 0 ? { 'Ignored-Metadata': ignored.join(', ') } : {};
  sendJson(res, status, { ...body, registration_client_uri: `${baseUrlOf(req)}${REGISTRATION_PATH}/${clientId}` }, headers);
};

/** Registration with a Tenant Administrator's bearer token as the initial access token. */
const registerWithToken = async (req: IncomingMessage, res: ServerResponse, operationId: string, options: RegistrationRoutesOptions) => {
  let principal;
  try {
    principal = await options.verifier.verify(req.headers.authorization);
  } catch {
    req.resume();
    throw invalidToken('A Tenant Administrator’s bearer token is needed as the initial access token');
  }
  if (!canWrite(principal)) {
    req.resume();
    throw new RegistrationError(403, 'insufficient_scope', 'Registering clients requires the role "Tenant Administrator"', {
      'WWW-Authenticate': 'Bearer error="insufficient_scope"',
    });
  }
  const body = await jsonBody(req, options.maxBodyBytes);
  const caller = { actor: { id: principal.id, name: principal.name }, operationId, correlationId: operationId };
  const { body: answer, ignored } = await options.registration.register(principal.tenantId, body, caller);
  answerWith(res, 201, answer, ignored, req);
};

/** Open registration for a configured tenant: no token, rate limited per source address and per tenant. */
const registerOpenly = async (req: IncomingMessage, res: ServerResponse, tenantId: string, operationId: string, options: RegistrationRoutesOptions) => {
  if (!options.openTenants.includes(tenantId)) {
    req.resume();
    throw new RegistrationError(403, 'access_denied', `Open registration is not enabled for tenant "${tenantId}"; register with an initial access token at ${REGISTRATION_PATH}`);
  }
  const refused = options.openRateLimiter?.takeRequest({ tenantId, id: req.socket.remoteAddress ?? 'unknown' });
  if (refused) {
    req.resume();
    throw new RegistrationError(429, 'too_many_requests', refused.message, { 'Retry-After': String(Number(refused.details.retryAfterSeconds ?? 1)) });
  }
  const quota = options.openQuota;
  if (quota && quota.used(tenantId) >= quota.max) {
    req.resume();
    throw new RegistrationError(
      403,
      'access_denied',
      `Open registration for tenant "${tenantId}" has reached its quota of ${quota.max} clients registered without a token (OPEN_REGISTRATION_QUOTA); delete unused ones or register with an initial access token at ${REGISTRATION_PATH}`,
    );
  }
  const body = await jsonBody(req, options.maxBodyBytes);
  const caller = { actor: { ...ANONYMOUS_REGISTRATION }, operationId, correlationId: operationId };
  const { body: answer, ignored } = await options.registration.register(tenantId, body, caller);
  answerWith(res, 201, answer, ignored, req);
};

/** GET, PUT and DELETE on a registration_client_uri (RFC 7592). */
const manage = async (req: IncomingMessage, res: ServerResponse, clientId: string, operationId: string, options: RegistrationRoutesOptions) => {
  const token = bearerOf(req);
  if (token === null) {
    req.resume();
    throw invalidToken('The registration access token is needed as a bearer token');
  }
  const context = { operationId, correlationId: operationId };
  if (req.method === 'GET') {
    const { body } = await options.registration.read(clientId, token);
    return answerWith(res, 200, body, [], req);
  }
  if (req.method === 'PUT') {
    const body = await jsonBody(req, options.maxBodyBytes);
    const answer = await options.registration.replace(clientId, token, body, context);
    return answerWith(res, 200, answer.body, answer.ignored, req);
  }
  if (req.method === 'DELETE') {
    await options.registration.remove(clientId, token, context);
    res.writeHead(204, { 'Cache-Control': 'no-store' });
    return void res.end();
  }
  req.resume();
  throw new RegistrationError(405, 'invalid_request', 'Use GET, PUT or DELETE on a registration_client_uri', { Allow: 'GET, PUT, DELETE' });
};

/** A path segment percent-decoded; a malformed escape is answered with `refusal`, never an internal error. */
const decodedSegment = (segment: string, refusal: () => RegistrationError): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw refusal();
  }
};

const route = async (req: IncomingMessage, res: ServerResponse, url: URL, operationId: string, options: RegistrationRoutesOptions): Promise<boolean> => {
  const { pathname } = url;
  if (pathname === REGISTRATION_METADATA_PATH) {
    sendJson(res, 200, registrationMetadata(baseUrlOf(req)), { 'Cache-Control': 'public, max-age=300' });
    return true;
  }
  if (pathname === REGISTRATION_PATH) {
    if (req.method !== 'POST') throw new RegistrationError(405, 'invalid_request', `Use POST on ${REGISTRATION_PATH}`, { Allow: 'POST' });
    await registerWithToken(req, res, operationId, options);
    return true;
  }
  const managed = /^\/register\/([^/]+)$/.exec(pathname);
  if (managed) {
    await manage(req, res, decodedSegment(managed[1], () => invalidToken('No client is registered at this URI')), operationId, options);
    return true;
  }
  const open = /^\/tenants\/([^/]+)\/register$/.exec(pathname);
  if (open) {
    if (req.method !== 'POST') throw new RegistrationError(405, 'invalid_request', 'Use POST to register', { Allow: 'POST' });
    const tenantId = decodedSegment(open[1], () => new RegistrationError(403, 'access_denied', 'Open registration is not enabled for this tenant'));
    await registerOpenly(req, res, tenantId, operationId, options);
    return true;
  }
  return false;
};

/** The RFC 8414 fields this service supplies; the platform's authorization server adds issuer and its endpoints. */
export const registrationMetadata = (base: string) => ({
  registration_endpoint: `${base}${REGISTRATION_PATH}`,
  token_endpoint_auth_methods_supported: ['none'],
  grant_types_supported: ['authorization_code'],
  response_types_supported: ['code'],
  code_challenge_methods_supported: ['S256'],
});

/** The registration routes; answers false for any other path. RFC-shaped errors: `{ error, error_description }`. */
export const createRegistrationRoutes =
  (options: RegistrationRoutesOptions) =>
  async (req: IncomingMessage, res: ServerResponse, url: URL, operationId: string): Promise<boolean> => {
    try {
      return await route(req, res, url, operationId, options);
    } catch (error) {
      if (!(error instanceof RegistrationError) || res.headersSent) throw error;
      sendJson(res, error.status, { error: error.error, error_description: error.description }, error.headers);
      return true;
    }
  };
