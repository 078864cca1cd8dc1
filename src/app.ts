import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import path from 'node:path';
import { ALL_PROJECTIONS, type HeadTracker, ProjectionRunner, bindReadModelToStore, createHeadTracker, createProjectionAdmin, projectionLags } from '../projections';
import { loadAuditKey } from './audit/auditKey';
import { createAuditLog } from './audit/auditLog';
import { createClientCommandHandler } from './application/clientCommandHandler';
import { createClientTimeTravel } from './application/clientTimeTravel';
import { createTokenVerifier, loadOrCreateOperatorToken } from './auth';
import { type AppConfig } from './config';
import { type EventStore } from './eventstore';
import { createApolloServer } from './graphql/apollo';
import { type Services } from './graphql/context';
import { buildAppSchema } from './graphql/schema';
import { type ConsoleSignIn, createConsoleHandler } from './http/console';
import { createGraphiqlHandler } from './http/graphiql';
import { defaultWebAssetsDir } from './http/webApp';
import { createHttpServer } from './http/server';
import { createOperatorRoutes } from './http/operatorRoutes';
import { createMetricsServer, instrumentCommands, instrumentEventStore, reportProjections } from './metrics';
import { attachSubscriptionServer } from './http/subscriptionServer';
import { createLiveFeed } from './live';
import { type Logger, createLogger } from './logger';
import { eventStoreIdentity, openEventStore, sqliteEventsFile } from './openEventStore';
import { type ReadModelDatabase, type SignedHeadStore, createReadModel, openReadModelDatabase, openSignedHeadStore } from './readmodel';
import { type LoadedKey } from './auth/keyFile';

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
  /** Where `GET /metrics` answers: the main URL's, one of its own (METRICS_PORT), or null when off. */
  metricsUrl: string | null;
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
  /** The tree heads this instance signed: its memory of what it vouched for (not rebuilt from the events). */
  signedHeads: path.join(dataDir, 'audit-heads.db'),
  /** Where an online rebuild builds a projection's new tables before swapping them in. */
  rebuild: path.join(dataDir, 'readmodel-rebuild.db'),
});

/** How the admin console signs administrators in: through the platform when CONSOLE_TOKEN_URL is set, else a pasted token. */
const consoleSignIn = (config: AppConfig): ConsoleSignIn =>
  config.console.tokenUrl === null
    ? { signIn: 'token', development: config.auth.mode === 'dev' }
    : { signIn: 'platform', tokenUrl: config.console.tokenUrl, signInUrl: config.console.signInUrl };

/** Undo steps of what was started, run in reverse order by `stop()` or when a later step fails. */
type Started = (() => unknown)[];

/** Opens the event store and the read model, and ties the read model to the store it is built from. */
const openStores = (config: AppConfig, logger: Logger, started: Started, storeHead: HeadTracker) => {
  const store = instrumentEventStore(openEventStore(config.eventStore, config.dataDir), (position) => storeHead.saw(position));
  started.push(() => store.close());
  const readModel = openReadModelDatabase(dataFiles(config.dataDir).readModel);
  started.push(() => readModel.close());
  const identity = eventStoreIdentity(config.eventStore);
  const builtFrom = bindReadModelToStore(readModel, identity, ALL_PROJECTIONS);
  if (builtFrom !== null) {
    logger.warn({ from: builtFrom, to: identity }, 'the read model was built from another event store: rebuilding it from this one');
  }
  const heads = openSignedHeadStore(dataFiles(config.dataDir).signedHeads);
  started.push(() => heads.close());
  return { store, readModel, heads };
};

/** What the audit log is signed with and remembered in. */
interface AuditParts {
  heads: SignedHeadStore;
  key: LoadedKey;
}

/** The stores and runners the services are built over. */
interface ServiceParts {
  store: EventStore;
  readModel: ReadModelDatabase;
  projections: ProjectionRunner;
  audit: AuditParts;
  started: Started;
}

/** What resolvers use: the command handler over the store, the read model's named queries and its live feed, time travel over the store, and the audit log. */
const servicesOf = (config: AppConfig, overrides: AppOverrides, { store, readModel, projections, audit, started }: ServiceParts): Services => {
  const waitForProjections = projections.waitForPosition.bind(projections);
  const now = overrides.now ?? (() => new Date());
  const queries = createReadModel(readModel);
  // The feed publishes what every projection has committed, so what a subscriber gets, queries show.
  const live = createLiveFeed(queries);
  const stopFeeding = projections.onCommitted((events) =>
    live.publish(events.map(({ recorded, event }) => ({ eventId: recorded.id, clientId: event.data.clientId }))),
  );
  started.push(() => {
    stopFeeding();
    live.close();
  });
  return {
    commands: instrumentCommands(createClientCommandHandler({
      store,
      now,
      newId: overrides.newId ?? randomUUID,
      waitForProjections,
      readYourWritesTimeoutMs: config.readYourWritesTimeoutMs,
    })),
    readModel: queries,
    live,
    auditLog: createAuditLog({ store, db: readModel, heads: audit.heads, key: audit.key, now }),
    timeTravel: createClientTimeTravel(store),
    waitForProjections,
  };
};

/** The browser pages: the admin console at / and GraphiQL. */
const webPages = (config: AppConfig, overrides: AppOverrides, logger: Logger) => {
  const assetsDir = overrides.webAssetsDir ?? defaultWebAssetsDir();
  const adminConsole = createConsoleHandler({
    assetsDir,
    signIn: consoleSignIn(config),
    onError: (error) => logger.error({ err: error }, 'serving the admin console failed'),
  });
  const graphiql = createGraphiqlHandler({ assetsDir, onError: (error) => logger.error({ err: error }, 'serving GraphiQL failed') });
  if (config.production && config.console.tokenUrl === null) {
    logger.warn(
      'CONSOLE_TOKEN_URL is not set: the admin console asks administrators to paste an access token instead of taking it from the platform’s sign-in',
    );
  }
  return (req: IncomingMessage, res: ServerResponse) => adminConsole(req, res) || graphiql(req, res);
};

/** Readiness: every projection caught up; in production why one stopped goes to the log only, not to anyone who asks. */
const readinessOf = (config: AppConfig, projections: ProjectionRunner) => () => ({
  ready: projections.isLive(),
  details: projections
    .status()
    .map((status) => (config.production ? { name: status.name, state: status.state, position: status.position } : status)),
});

/** Listens on the configured address; answers the base URL. */
const listen = async (server: Server, config: AppConfig, started: Started): Promise<{ url: string; port: number }> => {
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
  return { url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`, port };
};

/**
 * The operator's view: the projections' lag in the metrics, and their status and online rebuilds
 * at /admin/, behind the operator token (DATA_DIR/operator-token), with /metrics on the main port.
 */
const operatorRoutesOf = (
  config: AppConfig,
  logger: Logger,
  started: Started,
  { store, readModel, projections, headTracker }: { store: EventStore; readModel: ReadModelDatabase; projections: ProjectionRunner; headTracker: HeadTracker },
) => {
  started.push(reportProjections(() => projectionLags(projections.status(), store, headTracker)));
  const admin = createProjectionAdmin({
    store,
    db: readModel,
    runner: projections,
    projections: ALL_PROJECTIONS,
    heads: headTracker,
    logger,
    buildFile: dataFiles(config.dataDir).rebuild,
  });
  started.push(() => admin.stop());
  const token = loadOrCreateOperatorToken(config.dataDir);
  return createOperatorRoutes({ token, metrics: config.metrics.serve === 'main', projections: admin });
};

/** Serves the metrics on a port of their own when METRICS_PORT names one; answers its URL. */
const listenForMetrics = async (config: AppConfig, logger: Logger, started: Started): Promise<string | null> => {
  if (config.metrics.serve !== 'port') return null;
  const { url } = await listen(createMetricsServer(logger), { ...config, port: config.metrics.port }, started);
  return `${url}/metrics`;
};

/** Starts the whole service: store, projections, GraphQL over HTTP. */
export const startApp = async (config: AppConfig, overrides: AppOverrides = {}): Promise<RunningApp> => {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true });
  const verifier = await createTokenVerifier(config.auth);
  const auditKey = await loadAuditKey(config.auditKey);
  const started: Started = [];
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const undo of started.reverse()) await undo();
    })();
    return stopping;
  };
  try {
    // 1. The stores. 2. The projections, following the store. 3. GraphQL. 4. HTTP. 5. Subscriptions.
    const headTracker = createHeadTracker();
    const { store, readModel, heads } = openStores(config, logger, started, headTracker);
    const projections = new ProjectionRunner({ store, db: readModel, projections: ALL_PROJECTIONS, logger, batchSize: config.projectionBatchSize });
    projections.start();
    started.push(() => projections.stop());
    const operatorRoutes = operatorRoutesOf(config, logger, started, { store, readModel, projections, headTracker });
    const schema = buildAppSchema();
    const limits = { maxDepth: config.maxQueryDepth, maxCost: config.maxQueryCost };
    const apollo = createApolloServer({ schema, production: config.production, limits, logger });
    await apollo.start();
    started.push(() => apollo.stop());
    const services = servicesOf(config, overrides, { store, readModel, projections, audit: { heads, key: auditKey }, started });
    const server = createHttpServer({
      apollo,
      verifier,
      services,
      logger,
      maxBodyBytes: config.maxBodyBytes,
      production: config.production,
      consistencyWaitMs: config.readYourWritesTimeoutMs,
      pages: webPages(config, overrides, logger),
      readiness: readinessOf(config, projections),
      operatorRoutes,
    });
    // 5. Subscriptions on the same server and path, closed before the HTTP server is.
    const subscriptions = attachSubscriptionServer({
      server,
      schema,
      verifier,
      services,
      logger,
      limits,
      production: config.production,
      maxPayloadBytes: config.maxBodyBytes,
    });
    const { url, port } = await listen(server, config, started);
    started.push(() => subscriptions.close());
    const metricsUrl = config.metrics.serve === 'main' ? `${url}/metrics` : await listenForMetrics(config, logger, started);
    return { url, port, store, readModel, projections, logger, metricsUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
