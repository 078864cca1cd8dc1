import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Principal, type TokenVerifier } from '../auth';
import { AppError, UnauthenticatedError, ValidationError, httpStatusOf } from '../errors';
import { type WireOptions, toWireError } from '../graphql/wireError';
import { type Logger } from '../logger';
import { SECURITY_HEADERS } from './securityHeaders';

/** Headers of every API answer: the security headers, and never cached. */
export const API_HEADERS: Readonly<Record<string, string>> = { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' };

/** A request refused before GraphQL runs: the error to answer and the headers that go with it. */
export class Refusal extends Error {
  constructor(
    readonly error: AppError,
    readonly headers: Record<string, string> = {},
  ) {
    super(error.message);
  }
}

export const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...API_HEADERS,
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
};

/** A refusal with one violation of the request itself. */
export const badRequest = (field: string, rule: 'method' | 'json' | 'position' | 'request', message: string, httpStatus?: number) =>
  new ValidationError([{ field, rule, message }], { httpStatus });

/** The verified caller; every request to /graphql needs a valid bearer token. */
export const authenticate = async (req: IncomingMessage, verifier: Pick<TokenVerifier, 'verify'>, logger: Logger, operationId: string): Promise<Principal> => {
  try {
    return await verifier.verify(req.headers.authorization);
  } catch (error) {
    if (!(error instanceof AppError)) logger.error({ operationId, err: error }, 'token verification failed');
    req.resume();
    const refused = error instanceof AppError ? error : new UnauthenticatedError('Token could not be verified', {}, { cause: error });
    throw new Refusal(refused, { 'WWW-Authenticate': 'Bearer' });
  }
};

/** Answers an error in the one wire shape (see toWireError), with its HTTP status. */
export const sendError = (res: ServerResponse, error: AppError, wire: WireOptions, headers: Record<string, string> = {}) =>
  sendJson(res, httpStatusOf(error), { errors: [toWireError(error, wire)] }, headers);

