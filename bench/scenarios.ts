import { type ServerProcess } from './process';

/** Throughput and latency of one scenario in one run. */
export interface Measurement {
  opsPerSecond: number;
  p50: number;
  p99: number;
  /** The server process's CPU time per operation, in microseconds: steadier than throughput on a busy machine. */
  serverCpuUs: number | null;
}

/** The value at percentile `p` (0..100) of `sorted`, ascending. */
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** What one GraphQL request answered: the HTTP status and the body, null when it is not JSON. */
export interface GraphqlAnswer {
  status: number;
  body: { data?: any; errors?: unknown[] } | null;
}

/** Posts one GraphQL request with the server's administrator token and answers what came back, errors included. */
export const postGraphql = async (
  server: ServerProcess,
  query: string,
  variables: Record<string, unknown> = {},
  signal?: AbortSignal,
): Promise<GraphqlAnswer> => {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const body = (await response.json().catch(() => null)) as GraphqlAnswer['body'];
  return { status: response.status, body };
};

/** A GraphQL call that fails loudly on any error. */
export const gqlOf =
  (server: ServerProcess) =>
  async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
    const { status, body } = await postGraphql(server, query, variables);
    if (body === null || body.errors) throw new Error(`HTTP ${status}: ${JSON.stringify(body?.errors ?? null)}`);
    return body.data;
  };

/** What the load generator sees of a scenario: throughput, latencies, and how many operations it made. */
type Timing = Omit<Measurement, 'serverCpuUs'> & { operations: number };

/** Runs `total` operations, `concurrency` at a time. */
const measure = async (total: number, concurrency: number, operation: (i: number) => Promise<unknown>): Promise<Timing> => {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await operation(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { opsPerSecond: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), operations: total };
};

/** A scenario: its name and how it drives a fresh server (scenarios run in order on one server). */
interface Scenario {
  name: string;
  run(gql: ReturnType<typeof gqlOf>, ids: string[]): Promise<Timing>;
}

/** The add mutation, answering the new client's id. */
export const ADD = `mutation($i: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $i) { client { id } } }`;
/** The rename mutation. */
export const RENAME = `mutation($i: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $i) { changed } }`;
/** The mutation adding a redirect URL to a client. */
export const ADD_REDIRECT_URL = `mutation($i: AddRedirectUrlInput!) { addRedirectUrl(input: $i) { changed } }`;
/** One client by id. */
export const CLIENT_BY_ID = `query($id: ID!) { authorizationCodeClient(id: $id) { id name allowedRedirectUrls version } }`;

/** The HTTP scenarios, at `scale` (1: the full run). */
export const httpScenarios = (scale: number): Scenario[] => {
  const n = (count: number) => Math.max(10, Math.round(count * scale));
  return [
    {
      name: 'addAuthorizationCodeClient (10 concurrent)',
      run: (gql, ids) =>
        measure(n(500), 10, async (i) => {
          const data = await gql(ADD, { i: { name: `Bench ${i}`, allowedRedirectUrls: ['https://bench.example.com/cb'], tags: [`t${i % 5}`] } });
          ids.push(data.addAuthorizationCodeClient.client.id);
        }),
    },
    {
      name: 'renameAuthorizationCodeClient (10 concurrent)',
      run: (gql, ids) => measure(n(500), 10, (i) => gql(RENAME, { i: { clientId: ids[i % ids.length], name: `Renamed ${i}` } })),
    },
    {
      name: 'addRedirectUrl, one client (10 concurrent)',
      run: (gql, ids) => measure(n(200), 10, (i) => gql(ADD_REDIRECT_URL, { i: { clientId: ids[0], url: `https://bench.example.com/cb/${i % 9}` } })),
    },
    {
      name: 'authorizationCodeClient(id) (10 concurrent)',
      run: (gql, ids) => measure(n(2000), 10, (i) => gql(CLIENT_BY_ID, { id: ids[i % ids.length] })),
    },
    {
      name: 'authorizationCodeClients first 50 (10 concurrent)',
      run: (gql) =>
        measure(n(1000), 10, () =>
          gql(`{ authorizationCodeClients(first: 50, filter: { tags: ["t1"] }) { totalCount nodes { id name allowedRedirectUrls } } }`),
        ),
    },
    {
      name: 'auditTrail first 50 (10 concurrent)',
      run: (gql) => measure(n(1000), 10, () => gql(`{ auditTrail(first: 50) { totalCount nodes { id action changes { field before after } } } }`)),
    },
  ];
};

/** Runs every scenario, in order, against one server. */
export const runHttpScenarios = async (server: ServerProcess, scenarios: Scenario[]): Promise<Map<string, Measurement>> => {
  const gql = gqlOf(server);
  const ids: string[] = [];
  const results = new Map<string, Measurement>();
  for (const scenario of scenarios) {
    const cpuBefore = server.cpuMs();
    const { operations, ...timing } = await scenario.run(gql, ids);
    const cpuAfter = server.cpuMs();
    const serverCpuUs = cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) * 1000) / operations;
    results.set(scenario.name, { ...timing, serverCpuUs });
  }
  return results;
};
