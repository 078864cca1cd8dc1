import { type IncomingMessage } from 'node:http';
import { ValidationError } from '../errors';
import { isJsonObject } from '../jsutils';

/** A refusal of the request's shape: rule `request`, at the part of the request that is wrong. */
const refuse = (field: string, message: string, httpStatus?: number) =>
  new ValidationError([{ field, rule: 'request', message }], { httpStatus });

const isObjectOrAbsent = (value: unknown): boolean => value === undefined || value === null || isJsonObject(value);

/** What a POST body must be: one JSON object with a `query` string, and `variables`/`extensions` objects. */
const postProblem = (body: unknown): ValidationError | null => {
  if (Array.isArray(body)) return refuse('body', 'Send one operation per request: batched operations are not accepted');
  if (!isJsonObject(body) || Object.keys(body).length === 0) {
    return refuse('body', 'The body must be a JSON object with a `query` (sent with Content-Type: application/json)');
  }
  if (body.query !== undefined && body.query !== null && typeof body.query !== 'string') {
    return refuse('query', '`query` must be the text of a GraphQL document');
  }
  for (const field of ['variables', 'extensions'] as const) {
    if (!isObjectOrAbsent(body[field])) return refuse(field, `\`${field}\` must be a JSON object if given (not a string or a list)`);
  }
  if (body.operationName !== undefined && body.operationName !== null && typeof body.operationName !== 'string') {
    return refuse('operationName', '`operationName` must be a string if given');
  }
  return null;
};

/** What a GET must be: each parameter at most once, `variables` and `extensions` JSON objects. */
const getProblem = (req: IncomingMessage, search: URLSearchParams): ValidationError | null => {
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && contentType.split(';')[0].trim().toLowerCase() !== 'application/json') {
    return refuse('Content-Type', 'A GET request may carry no Content-Type but application/json', 415);
  }
  for (const name of ['query', 'operationName', 'variables', 'extensions']) {
    if (search.getAll(name).length > 1) return refuse(name, `The '${name}' parameter may be given only once`);
  }
  for (const name of ['variables', 'extensions']) {
    const text = search.get(name);
    if (text === null) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return refuse(name, `The '${name}' parameter must be JSON`);
    }
    if (!isObjectOrAbsent(parsed)) return refuse(name, `The '${name}' parameter must be a JSON object`);
  }
  return null;
};

const ANSWER_TYPES = new Set(['*/*', 'application/*', 'application/json', 'application/graphql-response+json']);

/** Whether an Accept header (absent: anything) takes a JSON answer. */
const acceptsJson = (accept: string | undefined): boolean =>
  accept === undefined ||
  accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));
    return ANSWER_TYPES.has(type) && (q === undefined || Number(q.slice(2)) > 0);
  });

/**
 * Why a GET or POST to /graphql is not a GraphQL request over HTTP, or null when it is one: the
 * checks Apollo Server makes before it runs a request, made here first so their refusals take the
 * one wire shape with the operation id like every other (Apollo formats them without the request).
 */
export const graphqlRequestProblem = (req: IncomingMessage, search: URLSearchParams, body: unknown): ValidationError | null => {
  if (!acceptsJson(req.headers.accept)) {
    return refuse('Accept', 'The answer is JSON: accept application/json or application/graphql-response+json', 406);
  }
  return req.method === 'POST' ? postProblem(body) : getProblem(req, search);
};
