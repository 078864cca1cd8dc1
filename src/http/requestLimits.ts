import { type HTTPGraphQLResponse, HeaderMap } from '@apollo/server';
import { LimitExceededError, httpStatusOf } from '../errors';
import { documentTokensError } from '../graphql/operationLimits';
import { type WireOptions, toWireError } from '../graphql/wireError';
import { isJsonObject } from '../jsutils';
import { Refusal } from './answer';

/** Default bound on one answer's size in bytes (MAX_RESPONSE_BYTES): a full page of clients with every list full fits. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** Refuses a GraphQL document with too many tokens before anything parses it (see documentTokensError). */
export const checkDocumentTokens = (url: URL, body: unknown): void => {
  const query = isJsonObject(body) ? body.query : url.searchParams.get('query');
  if (typeof query !== 'string') return;
  const error = documentTokensError(query);
  if (error) throw new Refusal(error);
};

/**
 * Apollo's answer, or LIMIT_EXCEEDED (limit `responseSize`) in its place when it is larger than
 * `maxBytes`: the caller learns which bound it passed instead of receiving megabytes.
 */
export const answerWithinSize = (response: HTTPGraphQLResponse, maxBytes: number, wire: WireOptions): HTTPGraphQLResponse => {
  if (response.body.kind !== 'complete') return response;
  const bytes = Buffer.byteLength(response.body.string);
  if (bytes <= maxBytes) return response;
  const error = new LimitExceededError(`The answer would be ${bytes} bytes; at most ${maxBytes} are allowed (ask for fewer fields or smaller pages)`, {
    limit: 'responseSize',
    max: maxBytes,
    actual: bytes,
  });
  const headers = new HeaderMap([['content-type', 'application/json; charset=utf-8']]);
  return { status: httpStatusOf(error), headers, body: { kind: 'complete', string: JSON.stringify({ errors: [toWireError(error, wire)] }) } };
};
