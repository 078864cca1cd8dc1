import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from '../src/app';
import { ROLES, mintDevToken } from '../src/auth';
import { loadConfig } from '../src/config';

/**
 * A smoke benchmark: the service on the embedded store, driven over HTTP from this process.
 * It reports throughput and latency percentiles for a mutation mix and for list queries; the
 * figures are for comparing runs on one machine, not absolute truths.
 */
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const run = async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'acc-bench-'));
  const app = await startApp(loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' }));
  const token = await mintDevToken({ dataDir, tenantId: 'bench', roles: [ROLES.administrator] });
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const measure = async (name: string, total: number, concurrency: number, operation: (i: number) => Promise<unknown>) => {
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
    const line = `${name.padEnd(44)} ${String(Math.round(total / seconds)).padStart(6)} ops/s   p50 ${percentile(latencies, 50).toFixed(1)} ms   p99 ${percentile(latencies, 99).toFixed(1)} ms`;
    process.stdout.write(`${line}\n`);
  };

  try {
    const ids: string[] = [];
    await measure('addAuthorizationCodeClient (10 concurrent)', 500, 10, async (i) => {
      const data = await gql(
        `mutation($i: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $i) { client { id } } }`,
        { i: { name: `Bench ${i}`, allowedRedirectUrls: ['https://bench.example.com/cb'], tags: [`t${i % 5}`] } },
      );
      ids.push(data.addAuthorizationCodeClient.client.id);
    });
    await measure('renameAuthorizationCodeClient (10 concurrent)', 500, 10, (i) =>
      gql(`mutation($i: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $i) { changed } }`, {
        i: { clientId: ids[i % ids.length], name: `Renamed ${i}` },
      }),
    );
    await measure('addRedirectUrl, one client (10 concurrent)', 200, 10, (i) =>
      gql(`mutation($i: AddRedirectUrlInput!) { addRedirectUrl(input: $i) { changed } }`, {
        i: { clientId: ids[0], url: `https://bench.example.com/cb/${i % 9}` },
      }),
    );
    await measure('authorizationCodeClients first 50 (10 concurrent)', 1000, 10, () =>
      gql(`{ authorizationCodeClients(first: 50, filter: { tags: ["t1"] }) { totalCount nodes { id name allowedRedirectUrls } } }`),
    );
    await measure('auditTrail first 50 (10 concurrent)', 1000, 10, () =>
      gql(`{ auditTrail(first: 50) { totalCount nodes { id action changes { field before after } } } }`),
    );
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

run().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
