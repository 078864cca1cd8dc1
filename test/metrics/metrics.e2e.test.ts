import { Writable } from 'node:stream';
import pino from 'pino';
import { readOperatorToken } from '../../src/auth';
import { countRateLimitRefusal } from '../../src/metrics';
import { type MetricFamily, parsePrometheusText, sampleValue } from '../testing/prometheusText';
import { type TestApp, addClient, startTestApp } from '../testing/testApp';

/** A logger writing JSON lines into `lines`, as the service's logger writes them to stdout. */
const capturingLogger = (lines: string[]) =>
  pino(
    { level: 'info', redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization'], censor: '[redacted]' } },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    }),
  );

const scrape = async (url: string, token?: string): Promise<Map<string, MetricFamily>> => {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
};

describe('GET /metrics on the main port', () => {
  let test: TestApp;
  let operator: string;
  const logLines: string[] = [];
  beforeAll(async () => {
    test = await startTestApp({ overrides: { logger: capturingLogger(logLines) } });
    operator = readOperatorToken(test.dataDir)!;
  });
  afterAll(() => test.dispose());

  it('needs the operator token: no token, and a tenant administrator token, are refused', async () => {
    const none = await fetch(`${test.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const admin = await test.caller('tenant-a');
    expect((await fetch(`${test.url}/metrics`, { headers: { authorization: `Bearer ${admin.token}` } })).status).toBe(401);
    expect(test.app.metricsUrl).toBe(`${test.url}/metrics`);
  });

  it('parses as Prometheus text, with the default process metrics and every service metric declared', async () => {
    const families = await scrape(`${test.url}/metrics`, operator);
    expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(families.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    expect(families.get('graphql_request_duration_seconds')?.type).toBe('histogram');
    for (const name of ['graphql_requests_total', 'mutations_total', 'events_appended_total', 'rate_limit_refusals_total']) {
      expect(families.get(name)?.type).toBe('counter');
    }
    expect(families.get('event_store_call_duration_seconds')?.type).toBe('histogram');
    for (const name of ['clientList', 'auditTrail']) {
      expect(sampleValue(families, 'projection_state', { projection: name, state: 'live' })).toBe(1);
      expect(sampleValue(families, 'projection_state', { projection: name, state: 'failed' })).toBe(0);
    }
  });

  it('moves after a mutation: requests, mutations, events appended, store latency, projection position', async () => {
    const before = await scrape(`${test.url}/metrics`, operator);
    const client = await addClient(test, { name: 'Counted' });
    const again = await test.gql(
      `mutation AddAgain($input: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $input) { changed } }`,
      { input: { id: client.id, name: 'Counted', allowedRedirectUrls: ['https://app.example.com/callback'] } },
    );
    expect(again.errors?.[0].extensions.code).toBe('CONFLICT');
    const after = await scrape(`${test.url}/metrics`, operator);
    const delta = (name: string, labels: Record<string, string> = {}) => sampleValue(after, name, labels) - sampleValue(before, name, labels);

    expect(delta('graphql_requests_total', { operation: '__anonymous', outcome: 'ok' })).toBe(1);
    expect(delta('graphql_requests_total', { operation: 'AddAgain', outcome: 'CONFLICT' })).toBe(1);
    expect(delta('graphql_request_duration_seconds_count', { operation: 'AddAgain', outcome: 'CONFLICT' })).toBe(1);
    expect(delta('mutations_total', { command: 'AddClient', outcome: 'changed' })).toBe(1);
    expect(delta('mutations_total', { command: 'AddClient', outcome: 'CONFLICT' })).toBe(1);
    expect(delta('events_appended_total')).toBe(1);
    expect(delta('event_store_call_duration_seconds_count', { call: 'appendToStream', outcome: 'ok' })).toBe(1);
    // Each add reads the client's stream first; the second finds it taken and appends nothing.
    expect(delta('event_store_call_duration_seconds_count', { call: 'readStream', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(delta('projection_position', { projection: 'clientList' })).toBe(1);
    expect(sampleValue(after, 'projection_lag_events', { projection: 'clientList' })).toBe(0);
  });

  it('bounds the operation-name label: names that are not GraphQL names count as __other', async () => {
    const before = await scrape(`${test.url}/metrics`, operator);
    const response = await fetch(`${test.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${(await test.caller('tenant-a')).token}` },
      body: JSON.stringify({ query: '{ me { tenantId } }', operationName: 'not a name' }),
    });
    await response.text();
    const after = await scrape(`${test.url}/metrics`, operator);
    const other = (families: Map<string, MetricFamily>) =>
      families.get('graphql_requests_total')!.samples.filter((sample) => sample.labels.operation === '__other').reduce((sum, s) => sum + s.value, 0);
    expect(other(after) - other(before)).toBe(1);
    expect(after.get('graphql_requests_total')!.samples.some((sample) => sample.labels.operation === 'not a name')).toBe(false);
  });

  it('counts rate-limit refusals through countRateLimitRefusal', async () => {
    const before = await scrape(`${test.url}/metrics`, operator);
    countRateLimitRefusal('tenant', 'mutation');
    const after = await scrape(`${test.url}/metrics`, operator);
    expect(sampleValue(after, 'rate_limit_refusals_total', { scope: 'tenant', kind: 'mutation' }) - sampleValue(before, 'rate_limit_refusals_total', { scope: 'tenant', kind: 'mutation' })).toBe(1);
  });

  it('logs each GraphQL operation with its name, outcome, duration and operation id, and never a token', async () => {
    const caller = await test.caller('tenant-a');
    const response = await fetch(`${test.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.token}` },
      body: JSON.stringify({ query: 'query WhoAmI { me { tenantId } }' }),
    });
    await response.text();
    const operationId = response.headers.get('x-operation-id')!;
    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const operation = entries.find((entry) => entry.msg === 'graphql operation' && entry.operationId === operationId);
    expect(operation).toMatchObject({ operation: 'WhoAmI', outcome: 'ok', operationId });
    expect(typeof operation!.ms).toBe('number');
    const request = entries.find((entry) => entry.msg === 'request' && entry.operationId === operationId);
    expect(request).toMatchObject({ status: 200, path: '/graphql' });
    const everything = logLines.join('\n');
    expect(everything).not.toContain(caller.token);
    expect(everything).not.toContain(caller.token.split('.')[2]);
    expect(everything).not.toContain(operator);
    expect(everything).not.toMatch(/Bearer /i);
  });
});

describe('METRICS_PORT', () => {
  it('serves /metrics on a port of its own without a token, and not on the main port', async () => {
    const test = await startTestApp({ env: { METRICS_PORT: '0' } });
    try {
      const url = test.app.metricsUrl!;
      expect(url).not.toBe(`${test.url}/metrics`);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const families = await scrape(url);
      expect(families.has('graphql_requests_total')).toBe(true);
      const main = await fetch(`${test.url}/metrics`, { headers: { authorization: `Bearer ${readOperatorToken(test.dataDir)!}` } });
      expect(main.status).toBe(404);
    } finally {
      await test.dispose();
    }
  });

  it('turns /metrics off with METRICS_PORT=off', async () => {
    const test = await startTestApp({ env: { METRICS_PORT: 'off' } });
    try {
      expect(test.app.metricsUrl).toBeNull();
      const main = await fetch(`${test.url}/metrics`, { headers: { authorization: `Bearer ${readOperatorToken(test.dataDir)!}` } });
      expect(main.status).toBe(404);
    } finally {
      await test.dispose();
    }
  });
});
