import { createHash } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type HTTPGraphQLResponse } from '@apollo/server';
import { type DocumentNode, OperationTypeNode, getOperationAST, parse, print } from 'graphql';
import { type Principal } from '../auth';
import { ConflictError, ValidationError } from '../errors';
import { isJsonObject } from '../jsutils';
import { type IdempotencyRecords, type IdempotencyScope } from '../readmodel/idempotencyRecords';
import { API_HEADERS, Refusal } from './answer';

/** The header a client names a retryable mutation request with. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** The header on an answer replayed from a key's first attempt. */
export const IDEMPOTENT_REPLAY_HEADER = 'Idempotent-Replayed';

/** Longest key accepted, in characters. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
// Visible ASCII, no spaces: a UUID, a ULID or any opaque token a client makes.
const KEY_SHAPE = /^[\x21-\x7e]+$/;

/** A mutation request sent with a key: whose key, and what request it names. */
export interface KeyedRequest {
  scope: IdempotencyScope;
  /** SHA-256 of the operation (printed from its parse, so layout does not count), its name and its variables. */
  fingerprint: string;
}

/** What the HTTP server needs for keyed requests. */
export interface Idempotency {
  /** The request's key, when it is a mutation sent with one; refuses a key of the wrong shape. */
  keyOf(req: IncomingMessage, body: unknown, principal: Principal): KeyedRequest | null;
  /** Starts a keyed request: answers the first attempt's answer to replay, or null to run it; refuses a reused or running key. */
  start(keyed: KeyedRequest): StoredReplay | null;
  /** Keeps the answer for retries, unless it is one a retry may not meet (a 5xx, an internal error, a rate limit). */
  finish(keyed: KeyedRequest, response: HTTPGraphQLResponse): void;
  /** Forgets a first attempt that ended without an answer to keep. */
  abandon(keyed: KeyedRequest): void;
}

/** An answer to send again. */
export interface StoredReplay {
  status: number;
  contentType: string;
  body: string;
}

const refuseKey = (message: string) =>
  new Refusal(new ValidationError([{ field: 'Idempotency-Key', rule: 'idempotencyKey', message }]));

/** JSON with object keys sorted, so the same variables sent in another order are the same request. */
const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
};

const parsed = (query: string): DocumentNode | null => {
  try {
    return parse(query);
  } catch {
    return null;
  }
};

// Codes of errors a retry may not meet again: their answer is never kept.
const TRANSIENT = new Set(['INTERNAL_SERVER_ERROR', 'RATE_LIMITED']);

const isTransient = (body: string): boolean => {
  try {
    const answer = JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] };
    return (answer.errors ?? []).some((error) => TRANSIENT.has(String(error.extensions?.code)));
  } catch {
    return true;
  }
};

/**
 * Safe retries of mutations over HTTP: the first answer to a key is kept (in `records`) for
 * `ttlMs`; the same request with the same key is answered it again and runs nothing, another
 * request with it is refused, and a retry while the first attempt runs is refused as CONFLICT.
 */
export const createIdempotency = (options: { records: IdempotencyRecords; ttlMs: number; now: () => Date }): Idempotency => {
  const { records, ttlMs, now } = options;
  return {
    keyOf(req, body, principal) {
      const header = req.headers[IDEMPOTENCY_KEY_HEADER];
      if (header === undefined) return null;
      const key = Array.isArray(header) ? header.join(', ') : header;
      if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !KEY_SHAPE.test(key)) {
        throw refuseKey(`Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters without spaces, such as a UUID`);
      }
      if (req.method !== 'POST' || !isJsonObject(body) || typeof body.query !== 'string') return null;
      const operationName = typeof body.operationName === 'string' ? body.operationName : null;
      const document = parsed(body.query);
      const operation = document && getOperationAST(document, operationName);
      // Queries are safe to repeat, and a request Apollo will refuse has nothing to keep.
      if (!document || operation?.operation !== OperationTypeNode.MUTATION) return null;
      const fingerprint = createHash('sha256')
        .update(canonicalJson([print(document), operationName, body.variables ?? {}]))
        .digest('hex');
      return { scope: { tenantId: principal.tenantId, principalId: principal.id, key }, fingerprint };
    },

    start(keyed) {
      const at = now();
      for (;;) {
        const record = records.find(keyed.scope, at);
        if (record === null) {
          if (records.begin(keyed.scope, keyed.fingerprint, at, new Date(at.getTime() + ttlMs))) return null;
          continue;
        }
        if (record.fingerprint !== keyed.fingerprint) {
          throw refuseKey(
            'This Idempotency-Key was sent with another request (another operation or other variables); send a new key with a new request',
          );
        }
        if (record.state === 'running') {
          throw new Refusal(
            new ConflictError('A request with this Idempotency-Key is still running; retry once it has answered', { idempotencyKey: 'running' }),
            { 'Retry-After': '1' },
          );
        }
        return record.answer;
      }
    },

    finish(keyed, response) {
      const status = response.status ?? 200;
      if (response.body.kind !== 'complete' || status >= 500 || isTransient(response.body.string)) {
        records.abandon(keyed.scope);
        return;
      }
      const contentType = response.headers.get('content-type') ?? 'application/json; charset=utf-8';
      records.complete(keyed.scope, { status, contentType, body: response.body.string });
    },

    abandon: (keyed) => records.abandon(keyed.scope),
  };
};

/** Sends a kept answer again, marked as replayed. */
export const sendReplay = (res: ServerResponse, answer: StoredReplay): void => {
  res.writeHead(answer.status, {
    ...API_HEADERS,
    'Content-Type': answer.contentType,
    'Content-Length': String(Buffer.byteLength(answer.body)),
    [IDEMPOTENT_REPLAY_HEADER]: 'true',
  });
  res.end(answer.body);
};
