import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { HTTP_STATUS } from '../errors';

/**
 * The service's metrics, one set per process: what `GET /metrics` answers. Counters only grow
 * while the process lives, as Prometheus expects; several apps in one process (tests) share them.
 */
export const metricsRegistry = new Registry();

collectDefaultMetrics({ register: metricsRegistry });

/** Seconds: from a fast read of the embedded store to a slow GraphQL request. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** GraphQL requests by operation name (bounded, see operationLabel) and outcome (`ok` or the first error's code). */
export const graphqlRequests = new Counter({
  name: 'graphql_requests_total',
  help: 'GraphQL requests by operation name and outcome (ok or the first error code)',
  labelNames: ['operation', 'outcome'] as const,
  registers: [metricsRegistry],
});

/** How long GraphQL requests took, by operation name and outcome. */
export const graphqlRequestSeconds = new Histogram({
  name: 'graphql_request_duration_seconds',
  help: 'GraphQL request latency in seconds, by operation name and outcome',
  labelNames: ['operation', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

/** Commands run by the command handler, by command type and outcome (`changed`, `unchanged` or an error code). */
export const commandsHandled = new Counter({
  name: 'mutations_total',
  help: 'Mutations (client commands) by command and outcome: changed, unchanged, or the error code',
  labelNames: ['command', 'outcome'] as const,
  registers: [metricsRegistry],
});

/** Events this process appended to the store. */
export const eventsAppended = new Counter({
  name: 'events_appended_total',
  help: 'Events appended to the event store by this process',
  registers: [metricsRegistry],
});

/** How long the event store's calls took, by call and outcome (`ok` or the error's name). */
export const storeCallSeconds = new Histogram({
  name: 'event_store_call_duration_seconds',
  help: 'Event store call latency in seconds, by call (appendToStream, readStream) and outcome',
  labelNames: ['call', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

/** Requests refused by a rate limit, by scope (e.g. principal, tenant) and kind (e.g. mutation, request). */
export const rateLimitRefusals = new Counter({
  name: 'rate_limit_refusals_total',
  help: 'Requests refused by a rate limit (429 RATE_LIMITED), by scope and kind',
  labelNames: ['scope', 'kind'] as const,
  registers: [metricsRegistry],
});

/**
 * Counts one request refused by a rate limit: call it where a request is answered 429
 * RATE_LIMITED. `scope` is what the bucket belongs to (`principal`, `tenant`), `kind` what it
 * limits (`mutation`, `request`): keep both to a few fixed words, never a tenant or principal id.
 */
export const countRateLimitRefusal = (scope: string, kind: string): void => {
  rateLimitRefusals.inc({ scope, kind });
};

const ERROR_CODES: ReadonlySet<string> = new Set(Object.keys(HTTP_STATUS));

/** An outcome label from an error code: one of ours, or `error` for anything else. */
export const outcomeOfCode = (code: unknown): string => (typeof code === 'string' && ERROR_CODES.has(code) ? code : 'error');
