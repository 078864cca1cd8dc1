import fc from 'fast-check';

/**
 * Random mixed mutations against a running server, with a model of what each acknowledged one
 * did, for fault tests: after a crash, every client must be as the model says, or as the model
 * says plus the one mutation that was in flight when the server died (it may have landed).
 */

/** A client's settings as the tests track them; lists in the order the API keeps them. */
export interface ModelClient {
  id: string;
  name: string;
  tokenLifetime: number;
  allowedRedirectUrls: string[];
  allowedLogoutRedirectUrls: string[];
  allowedCorsOrigins: string[];
  tags: string[];
  version: number;
}

/** The fields read back and compared with the model. */
export const MODEL_FIELDS = 'id name tokenLifetime allowedRedirectUrls allowedLogoutRedirectUrls allowedCorsOrigins tags version';

/** One mutation: its GraphQL field and input type, the input, and the client it makes of `before`. */
interface Planned {
  field: string;
  inputType: string;
  input: Record<string, unknown>;
  after: (before: ModelClient | null, answered: ModelClient | null) => ModelClient | null;
}

/** A seeded source of numbers in [0, 1), drawn by fast-check: a round's plan replays from its seed. */
export const seeded = (seed: number): (() => number) => {
  const values = fc.sample(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { seed, numRuns: 10_000 });
  let next = 0;
  return () => values[next++ % values.length];
};

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** The list settings with a mutation to add an entry and one to remove it; `least` entries the client keeps. */
const LIST_MUTATIONS = [
  { list: 'allowedRedirectUrls', key: 'url', add: 'addRedirectUrl', remove: 'removeRedirectUrl', least: 1, made: (id: string) => `https://${id}.example.com/cb` },
  { list: 'allowedLogoutRedirectUrls', key: 'url', add: 'addLogoutRedirectUrl', remove: 'removeLogoutRedirectUrl', least: 0, made: (id: string) => `https://${id}.example.com/bye` },
  { list: 'allowedCorsOrigins', key: 'origin', add: 'addCorsOrigin', remove: 'removeCorsOrigin', least: 0, made: (id: string) => `https://${id}.example.com` },
] as const;

const upperFirst = (name: string) => `${name[0].toUpperCase()}${name.slice(1)}`;

/** The next mutation a worker makes: an add when it has no client, else a change of one of them. */
export const plan = (random: () => number, owned: readonly ModelClient[], unique: () => string): { client: ModelClient | null; mutation: Planned } => {
  if (owned.length === 0 || random() < 0.15) {
    const name = `Client ${unique()}`;
    const url = `https://${unique()}.example.com/cb`;
    return {
      client: null,
      mutation: {
        field: 'addAuthorizationCodeClient',
        inputType: 'AddAuthorizationCodeClientInput',
        input: { name, allowedRedirectUrls: [url] },
        after: (_before, answered) => answered,
      },
    };
  }
  const client = pick(random, owned);
  const base = { clientId: client.id, expectedVersion: client.version };
  const next = (change: Partial<ModelClient>) => (before: ModelClient | null) => (before ? { ...before, ...change, version: before.version + 1 } : null);
  const choices: (() => Planned)[] = [
    () => {
      const name = `Client ${unique()}`;
      return { field: 'renameAuthorizationCodeClient', inputType: 'RenameAuthorizationCodeClientInput', input: { ...base, name }, after: next({ name }) };
    },
    () => {
      const seconds = 60 + Math.floor(random() * 3540);
      const change = seconds === client.tokenLifetime ? 61 : seconds;
      return { field: 'setTokenLifetime', inputType: 'SetTokenLifetimeInput', input: { ...base, seconds: change }, after: next({ tokenLifetime: change }) };
    },
    () => {
      const tag = `tag-${unique()}`;
      return { field: 'updateAuthorizationCodeClient', inputType: 'UpdateAuthorizationCodeClientInput', input: { ...base, tags: [...client.tags, tag] }, after: next({ tags: [...client.tags, tag] }) };
    },
  ];
  // Each list: an entry added, and one removed while the list keeps more than its least.
  for (const { list, key, add, remove, least, made } of LIST_MUTATIONS) {
    const values = client[list];
    choices.push(() => {
      const value = made(unique());
      return { field: add, inputType: `${upperFirst(add)}Input`, input: { ...base, [key]: value }, after: next({ [list]: [...values, value] }) };
    });
    if (values.length > least) {
      choices.push(() => {
        const value = pick(random, values);
        return { field: remove, inputType: `${upperFirst(remove)}Input`, input: { ...base, [key]: value }, after: next({ [list]: values.filter((kept) => kept !== value) }) };
      });
    }
  }
  if (random() < 0.08) {
    choices.length = 0;
    choices.push(() => ({ field: 'deleteAuthorizationCodeClient', inputType: 'DeleteAuthorizationCodeClientInput', input: base, after: () => null }));
  }
  return { client, mutation: pick(random, choices)() };
};

/** What a worker knows after a run: its clients as acknowledged, and the mutation that got no answer, if any. */
export interface WorkerState {
  owned: ModelClient[];
  /** Operation ids of every acknowledged mutation. */
  acknowledged: string[];
  /** The mutation sent and never answered (the server died): it may or may not have landed. */
  inFlight: { client: ModelClient | null; mutation: Planned } | null;
}

export const newWorker = (): WorkerState => ({ owned: [], acknowledged: [], inFlight: null });

/** Sends mutations one after another until `stop()` says so or the server stops answering. */
export const runWorker = async (
  url: string,
  token: string,
  worker: WorkerState,
  random: () => number,
  unique: () => string,
  stop: () => boolean,
  /** When the store may fail under it: an INTERNAL_SERVER_ERROR then leaves the mutation's outcome unknown, like no answer. */
  { storeMayFail = false }: { storeMayFail?: boolean } = {},
): Promise<void> => {
  while (!stop()) {
    const planned = plan(random, worker.owned, unique);
    const { client, mutation } = planned;
    worker.inFlight = planned;
    let body: { data?: Record<string, { operationId: string; client: ModelClient | null }> | null; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: `mutation($input: ${mutation.inputType}!) { ${mutation.field}(input: $input) { operationId client { ${MODEL_FIELDS} } } }`,
          variables: { input: mutation.input },
        }),
      });
      body = (await response.json()) as typeof body;
    } catch {
      return; // No answer: the server died with this mutation in flight.
    }
    if (storeMayFail && body.errors?.[0]?.extensions?.code === 'INTERNAL_SERVER_ERROR') return;
    worker.inFlight = null;
    if (body.errors || !body.data) throw new Error(`${mutation.field} was refused: ${JSON.stringify(body.errors)}`);
    const payload = body.data[mutation.field];
    worker.acknowledged.push(payload.operationId);
    const after = mutation.after(client, payload.client);
    worker.owned = worker.owned.filter((owned) => owned.id !== client?.id);
    if (after) {
      // The server's answer is the truth the model must agree with.
      if (JSON.stringify(after) !== JSON.stringify(payload.client)) {
        throw new Error(`${mutation.field} answered ${JSON.stringify(payload.client)}, the model expected ${JSON.stringify(after)}`);
      }
      worker.owned.push(after);
    }
  }
};

/**
 * Waits until the workers have had `count` more mutations acknowledged than `since` (or 20 s
 * passed), so each round's fault strikes a load that is running, however slow the machine.
 */
export const untilAcknowledged = async (workers: readonly WorkerState[], since: number, count: number): Promise<void> => {
  const deadline = Date.now() + 20_000;
  while (acknowledgedCount(workers) < since + count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
};

/** How many mutations the workers have had acknowledged so far. */
export const acknowledgedCount = (workers: readonly WorkerState[]): number => workers.reduce((sum, worker) => sum + worker.acknowledged.length, 0);
