import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AppOverrides, type RunningApp, startApp } from '../../src/app';
import { ROLES, mintDevToken } from '../../src/auth';
import { loadConfig } from '../../src/config';
import { type EventStoreStandin, startEventStoreStandin } from '../eventstoredb/standin/standinServer';
import { seedCheckpointsAtHead } from './seedCheckpoints';

/** A GraphQL answer as the tests read it. */
export interface GqlResponse<T = any> {
  status: number;
  headers: Headers;
  data?: T;
  errors?: { message: string; path?: string[]; extensions: Record<string, any> }[];
  extensions?: Record<string, any>;
}

/** A caller of the API: a tenant, roles and a subject, with a dev token. */
export interface Caller {
  tenantId: string;
  subject: string;
  token: string;
}

/** The service on an ephemeral port over a temporary data directory, and ways to talk to it. */
export interface TestApp {
  app: RunningApp;
  dataDir: string;
  url: string;
  /** The EventStoreDB protocol stand-in this app started for itself, when it uses one. */
  standin: EventStoreStandin | null;
  /** A token for a tenant administrator (default) or another role. */
  caller(tenantId: string, options?: { roles?: string[]; subject?: string; name?: string }): Promise<Caller>;
  /** POSTs a GraphQL request; `token: null` sends none. */
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<GqlResponse<T>>;
  /** Stops the service (the data directory stays). */
  stop(): Promise<void>;
  /** Starts a new service on the same data directory. */
  restart(): Promise<void>;
  /** Stops the service and removes the data directory. */
  dispose(): Promise<void>;
}

/**
 * The event store test apps use: the embedded SQLite store; `standin`, a fresh EventStoreDB
 * protocol stand-in per app; `eventstoredb`, the real server named by EVENTSTORE_CONNECTION_STRING,
 * shared by every app, each of which starts reading it at its head so it sees only its own test's
 * events; or a given EventStoreDB connection string (several apps on one store).
 */
export type TestEventStore = 'sqlite' | 'standin' | 'eventstoredb' | { connectionString: string };

/** TEST_EVENT_STORE chooses the store of every test app that does not choose its own. */
export const testEventStoreFromEnv = (): TestEventStore => {
  const chosen = process.env.TEST_EVENT_STORE?.trim() || 'sqlite';
  if (chosen === 'sqlite' || chosen === 'standin' || chosen === 'eventstoredb') return chosen;
  throw new Error(`TEST_EVENT_STORE must be sqlite, standin or eventstoredb; it is "${chosen}"`);
};

const realServerConnection = (): string => {
  const connectionString = process.env.EVENTSTORE_CONNECTION_STRING?.trim();
  if (!connectionString) throw new Error('TEST_EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING');
  return connectionString;
};

/** Starts the service for a test; every server binds to 127.0.0.1 on an ephemeral port. */
export const startTestApp = async (
  options: { env?: Record<string, string>; dataDir?: string; overrides?: AppOverrides; eventStore?: TestEventStore } = {},
): Promise<TestApp> => {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'acc-e2e-'));
  const eventStore = options.eventStore ?? testEventStoreFromEnv();
  const standin = eventStore === 'standin' ? await startEventStoreStandin({ port: 0 }) : null;
  const connectionString =
    eventStore === 'sqlite'
      ? null
      : standin
        ? standin.connectionString
        : eventStore === 'eventstoredb'
          ? realServerConnection()
          : (eventStore as { connectionString: string }).connectionString;
  if (eventStore === 'eventstoredb') await seedCheckpointsAtHead(dataDir, connectionString!);
  const env = {
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ...(connectionString ? { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: connectionString } : {}),
    ...options.env,
  };
  let app: RunningApp;
  try {
    app = await startApp(loadConfig(env), options.overrides);
  } catch (error) {
    await standin?.close();
    throw error;
  }
  let defaultToken: string | null = null;
  const harness: TestApp = {
    get app() {
      return app;
    },
    dataDir,
    get url() {
      return app.url;
    },
    standin,
    async caller(tenantId, { roles = [ROLES.administrator], subject = `user-of-${tenantId}`, name } = {}) {
      const token = await mintDevToken({ dataDir, tenantId, roles, subject, name: name ?? `User of ${tenantId}` });
      return { tenantId, subject, token };
    },
    async gql(query, variables, { token, headers = {} } = {}) {
      if (token === undefined && defaultToken === null) defaultToken = (await harness.caller('tenant-a')).token;
      const bearer = token === undefined ? defaultToken : token;
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GqlResponse, 'status' | 'headers'>;
      return { status: response.status, headers: response.headers, ...body };
    },
    stop: () => app.stop(),
    async restart() {
      await app.stop();
      app = await startApp(loadConfig(env), options.overrides);
    },
    async dispose() {
      await app.stop();
      await standin?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
};

/** The fields tests ask for on a client. */
export const CLIENT_FIELDS = `
  id name enabled tokenLifetime allowedRedirectUrls allowedLogoutRedirectUrls allowedCorsOrigins
  clientUri logoUri tags version createdAt updatedAt createdBy { id name }
`;

/** The fields tests ask for on a mutation payload. */
export const PAYLOAD_FIELDS = `changed operationId position client { ${CLIENT_FIELDS} }`;

/** Adds a client through the API and answers its payload (throws on errors). */
export const addClient = async (
  test: TestApp,
  input: Record<string, unknown> = {},
  token?: string,
): Promise<{ id: string; version: number; [key: string]: any }> => {
  const response = await test.gql(
    `mutation($input: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $input) { ${PAYLOAD_FIELDS} } }`,
    { input: { name: 'Test app', allowedRedirectUrls: ['https://app.example.com/callback'], ...input } },
    { token },
  );
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data.addAuthorizationCodeClient.client;
};

/** The first error's code, for terse assertions. */
export const errorCode = (response: GqlResponse): string | undefined => response.errors?.[0]?.extensions.code;
