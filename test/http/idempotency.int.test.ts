import { mkdtempSync, rmSync } from 'node:fs';
import { type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type HTTPGraphQLResponse, HeaderMap } from '@apollo/server';
import { ConflictError } from '../../src/errors';
import { Refusal } from '../../src/http/answer';
import { type Idempotency, createIdempotency } from '../../src/http/idempotency';
import { type IdempotencyRecords, openIdempotencyRecords } from '../../src/readmodel/idempotencyRecords';

const principal = { id: 'alice', name: null, tenantId: 't1', roles: [] };
const request = (key: string) => ({ method: 'POST', headers: { 'idempotency-key': key } }) as unknown as IncomingMessage;
const body = { query: 'mutation { deleteAuthorizationCodeClient(input: { clientId: "x" }) { changed } }' };
const answer = (text: string, status = 200): HTTPGraphQLResponse => ({
  status,
  headers: new HeaderMap([['content-type', 'application/json']]),
  body: { kind: 'complete', string: text },
});

describe('keyed requests', () => {
  let dir: string;
  let records: IdempotencyRecords;
  let idempotency: Idempotency;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'acc-keys-'));
    records = openIdempotencyRecords(path.join(dir, 'idempotency.db'));
    idempotency = createIdempotency({ records, ttlMs: 60_000, now: () => new Date() });
  });
  afterEach(() => {
    records.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a retry while the first attempt is still running, as CONFLICT with Retry-After', () => {
    const keyed = idempotency.keyOf(request('k1'), body, principal)!;
    expect(idempotency.start(keyed)).toBeNull();
    let refusal: unknown;
    try {
      idempotency.start(keyed);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(Refusal);
    expect((refusal as Refusal).error).toBeInstanceOf(ConflictError);
    expect((refusal as Refusal).error.message).toMatch(/still running/);
    expect((refusal as Refusal).headers).toEqual({ 'Retry-After': '1' });
    idempotency.finish(keyed, answer('{"data":{}}'));
    expect(idempotency.start(keyed)).toEqual({ status: 200, contentType: 'application/json', body: '{"data":{}}' });
  });

  it('keeps no answer a retry may not meet: a 5xx, an internal error, a rate limit', () => {
    const transient = [
      answer('{"errors":[]}', 503),
      answer('{"data":null,"errors":[{"message":"x","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}'),
      answer('{"data":null,"errors":[{"message":"x","extensions":{"code":"RATE_LIMITED"}}]}'),
    ];
    for (const [index, response] of transient.entries()) {
      const keyed = idempotency.keyOf(request(`t${index}`), body, principal)!;
      expect(idempotency.start(keyed)).toBeNull();
      idempotency.finish(keyed, response);
      expect(idempotency.start(keyed)).toBeNull();
    }
  });

  it('forgets attempts left running by a stopped process, so their retries run again', () => {
    const keyed = idempotency.keyOf(request('k2'), body, principal)!;
    expect(idempotency.start(keyed)).toBeNull();
    records.close();
    records = openIdempotencyRecords(path.join(dir, 'idempotency.db'));
    idempotency = createIdempotency({ records, ttlMs: 60_000, now: () => new Date() });
    expect(idempotency.start(keyed)).toBeNull();
  });

  it('takes no key for a query or a document that does not parse', () => {
    expect(idempotency.keyOf(request('q'), { query: '{ me { id } }' }, principal)).toBeNull();
    expect(idempotency.keyOf(request('q'), { query: 'mutation {' }, principal)).toBeNull();
    expect(idempotency.keyOf({ method: 'POST', headers: {} } as unknown as IncomingMessage, body, principal)).toBeNull();
  });
});
