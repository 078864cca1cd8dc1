import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import path from 'node:path';
import { ALL_PROJECTIONS, ProjectionRunner, bindReadModelToStore } from '../projections';
import { createClientCommandHandler } from './application/clientCommandHandler';
import { createTokenVerifier } from './auth';
import { type AppConfig } from './config';
import { type EventStore } from './eventstore';
import { createApolloServer } from './graphql/apollo';
import { type Services } from './graphql/context';
import { buildAppSchema } from './graphql/schema';
import { type ConsoleSignIn, createConsoleHandler } from './http/console';
import { createGraphiqlHandler } from './http/graphiql';
import { defaultWebAssetsDir } from './http/webApp';
import { createHttpServer } from './http/server';
import { type Logger, createLogger } from './logger';
import { eventStoreIdentity, openEventStore, sqliteEventsFile } from './openEventStore';
import { type ReadModelDatabase, createReadModel, openReadModelDatabase } from './readmodel';

/** A running service. */
export interface RunningApp {
  /** Base URL, e.g. http://127.0.0.1:4000 */
  url: string;
  port: number;
  store: EventStore;
  /** The read-model database the projections write and the queries read. */
  readModel: ReadModelDatabase;
  projections: ProjectionRunner;
  logger: Logger;
  /** Stops serving, stops the projections and closes the databases. */
  stop(): Promise<void>;
}

/** Things tests and tools may replace. */
export interface AppOverrides {
  logger?: Logger;
  now?: () => Date;
  newId?: () => string;
  webAssetsDir?: string;
}

/** The embedded event store's file and the read-model file inside the data directory. */
export const dataFiles = (dataDir: string) => ({
  events: sqliteEventsFile(dataDir),
  readModel: path.join(dataDir, 'readmodel.db'),
});

/** How the admin console signs administrators in: through the platform when CONSOLE_TOKEN_URL is set, else a pasted token. */
const consoleSignIn = (config: AppConfig): ConsoleSignIn =>
  config.console.tokenUrl === null
    ? { signIn: 'token', development: config.auth.mode === 'dev' }
    : { signIn: 'platform', tokenUrl: config.console.tokenUrl, signInUrl: config.console.signInUrl };

/** Starts the whole service: store, projections, GraphQL over HTTP. */
export const startApp = async (config: AppConfig, overrides: AppOverrides = {}): Promise<RunningApp> => {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true });
  const files = dataFiles(config.dataDir);
  const verifier = await createTokenVerifier(config.auth);
  // What is started is stopped in reverse order, by `stop()` or when a later step fails.
  const started: (() => unknown)[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const undo of started.reverse()) await undo();
    })();
    return stopping;
  };
  try {
    const store = openEventStore(config.eventStore, config.dataDir);
    started.push(() => store.close());
    const readModel = openReadModelDatabase(files.readModel);
    started.push(() => readModel.close());
    const identity = eventStoreIdentity(config.eventStore);
    const builtFrom = bindReadModelToStore(readModel, identity, ALL_PROJECTIONS);
    if (builtFrom !== null) {
      logger.warn({ from: builtFrom, to: identity }, 'the read model was built from another event store: rebuilding it from this one');
    }
    const projections = new ProjectionRunner({ store, db: readModel, projections: ALL_PROJECTIONS, logger });
    projections.start();
    started.push(() => projections.stop());
    const waitForProjections = projections.waitForPosition.bind(projections);
    const services: Services = {
      commands: createClientCommandHandler({
        store,
        now: overrides.now ?? (() => new Date()),
        newId: overrides.newId ?? randomUUID,
        waitForProjections,
        readYourWritesTimeoutMs: config.readYourWritesTimeoutMs,
      }),
      readModel: createReadModel(readModel),
      waitForProjections,
    };
    const schema = buildAppSchema();
    const apollo = createApolloServer({
      schema,
      production: config.production,
      limits: { maxDepth: config.maxQueryDepth, maxCost: config.maxQueryCost },
      logger,
    });
    await apollo.start();
    started.push(() => apollo.stop());
    const assetsDir = overrides.webAssetsDir ?? defaultWebAssetsDir();
    const adminConsole = createConsoleHandler({
      assetsDir,
      signIn: consoleSignIn(config),
      onError: (error) => logger.error({ err: error }, 'serving the admin console failed'),
    });
    const graphiql = createGraphiqlHandler({
      assetsDir,
      onError: (error) => logger.error({ err: error }, 'serving GraphiQL failed'),
    });
    if (config.production && config.console.tokenUrl === null) {
      logger.warn(
        'CONSOLE_TOKEN_URL is not set: the admin console asks administrators to paste an access token instead of taking it from the platform’s sign-in',
      );
    }
    const server = createHttpServer({
      apollo,
      verifier,
      services,
      logger,
      maxBodyBytes: config.maxBodyBytes,
      production: config.production,
      consistencyWaitMs: config.readYourWritesTimeoutMs,
      pages: (req, res) => adminConsole(req, res) || graphiql(req, res),
      readiness: () => ({
        ready: projections.isLive(),
        // In production why a projection stopped goes to the log only, not to anyone who asks.
        details: projections
          .status()
          .map((status) => (config.production ? { name: status.name, state: status.state, position: status.position } : status)),
      }),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    started.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    );
    const { port } = server.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    return {
      url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
      port,
      store,
      readModel,
      projections,
      logger,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
