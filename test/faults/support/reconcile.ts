import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dataFiles } from '../../../src/app';
import { type CliIo, runCli } from '../../../src/cli';
import { readModelTables } from '../../testing/projectionSpecification';
import { MODEL_FIELDS, type ModelClient, type WorkerState } from './mutationLoad';

/** Runs a query as the loader; throws on errors. */
export const query = async <T>(url: string, token: string, text: string, variables: Record<string, unknown> = {}): Promise<T> => {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: text, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
};

/** Every page of a connection, in order. */
export const everyNode = async <T>(url: string, token: string, field: string, fields: string): Promise<T[]> => {
  const nodes: T[] = [];
  let after: string | null = null;
  for (;;) {
    type Page = Record<string, { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }>;
    const page: Page = await query<Page>(url, token, `query($after: String) { ${field}(first: 100, after: $after) { nodes { ${fields} } pageInfo { hasNextPage endCursor } } }`, { after });
    nodes.push(...page[field].nodes);
    if (!page[field].pageInfo.hasNextPage) return nodes;
    after = page[field].pageInfo.endCursor;
  }
};

const same = (a: ModelClient | null | undefined, b: ModelClient | null | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Compares what the restarted server answers with what the workers saw acknowledged: each client
 * as the model says, or (for the one mutation a worker had in flight when the server died) as that
 * mutation would have left it; no client nobody made. Answers how many in-flight mutations landed,
 * and leaves each worker's model at what the server holds.
 */
export const reconcile = async (url: string, token: string, workers: WorkerState[], round: number): Promise<number> => {
  const clients = await everyNode<ModelClient>(url, token, 'authorizationCodeClients', MODEL_FIELDS);
  const byId = new Map(clients.map((client) => [client.id, client]));
  const byName = new Map(clients.map((client) => [client.name, client]));
  expect({ round, distinctNames: byName.size }).toEqual({ round, distinctNames: clients.length });
  let landed = 0;
  const known = new Set<string>();
  for (const worker of workers) {
    const next: ModelClient[] = [];
    for (const modelled of worker.owned) {
      const actual = byId.get(modelled.id) ?? null;
      const flying = worker.inFlight?.client?.id === modelled.id ? worker.inFlight.mutation.after(modelled, null) : undefined;
      if (flying !== undefined && same(actual, flying) && !same(actual, modelled)) landed += 1;
      else expect({ round, client: actual }).toEqual({ round, client: modelled });
      if (actual) next.push(actual);
    }
    if (worker.inFlight?.client === null) {
      const added = byName.get(worker.inFlight.mutation.input.name as string);
      if (added) {
        landed += 1;
        next.push(added);
      }
    }
    for (const client of next) known.add(client.id);
    worker.owned = next;
    worker.inFlight = null;
  }
  expect({ round, unknown: clients.filter((client) => !known.has(client.id)) }).toEqual({ round, unknown: [] });
  return landed;
};

/**
 * Every acknowledged mutation is in the audit trail once, and nothing else is but the in-flight
 * ones that landed: each mutation the workers make records exactly one event.
 */
export const expectAcknowledgedOnce = async (url: string, token: string, workers: readonly WorkerState[], landed: number, atLeast: number): Promise<void> => {
  const acknowledged = workers.flatMap((worker) => worker.acknowledged);
  const operations = (await everyNode<{ operationId: string }>(url, token, 'auditTrail', 'operationId')).map((entry) => entry.operationId);
  expect(acknowledged.length).toBeGreaterThanOrEqual(atLeast);
  expect(new Set(operations).size).toBe(operations.length);
  const recorded = new Set(operations);
  expect(acknowledged.filter((id) => !recorded.has(id))).toEqual([]);
  expect(operations.length).toBe(acknowledged.length + landed);
};

/**
 * The read model in `dataDir` (its server stopped) equals one rebuilt from the events alone by
 * `rebuild`, in a copy of the data directory; `env` names the store when it is not the embedded one.
 */
export const expectReadModelEqualsRebuild = async (dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<void> => {
  const copy = mkdtempSync(path.join(tmpdir(), 'faults-rebuilt-'));
  try {
    cpSync(dataDir, copy, { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(dataFiles(copy).readModel + suffix, { force: true });
    let stderr = '';
    const io: CliIo = { stdout: () => undefined, stderr: (text) => (stderr += text), env: { ...env, DATA_DIR: copy }, cwd: process.cwd() };
    expect({ code: await runCli(['rebuild'], io), stderr }).toMatchObject({ code: 0 });
    const kept = new Database(dataFiles(dataDir).readModel, { readonly: true });
    const rebuilt = new Database(dataFiles(copy).readModel, { readonly: true });
    try {
      expect(readModelTables(kept)).toEqual(readModelTables(rebuilt));
    } finally {
      kept.close();
      rebuilt.close();
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
};
