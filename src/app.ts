import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import path from 'node:path';
import { ALL_PROJECTIONS, type HeadTracker, ProjectionRunner, bindReadModelToStore, createHeadTracker, createProjectionAdmin, projectionLags } from '../projections';
import { loadAuditKey } from './audit/auditKey';
import { createAuditLog } from './audit/auditLog';
import { createClientCommandHandler } from './application/clientCommandHandler';
import { createClientTimeTravel } from './application/clientTimeTravel';
import { type TokenVerifier, createTokenVerifier, loadOrCreateOperatorToken } from './auth';
import { type AppConfig } from './config';
import { type EventStore } from './eventstore';
import { createApolloServer } from './graphql/apollo';
import { type Services } from './graphql/context';
import { buildAppSchema } from './graphql/schema';
import { webPages } from './http/webPages';
import { createHttpServer } from './http/server';
import { createIdempotency } from './http/idempotency';
import { openIdempotencyRecords } from './readmodel/idempotencyRecords';
import { type PositionSeal, loadPositionSeal } from './positions';
import { createOperatorRoutes } from './http/operatorRoutes';
import { createMetricsServer, instrumentCommands, instrumentEventStore, reportProjections } from './metrics';
import { attachSubscriptionServer } from './http/subscriptionServer';
import { createRateLimiter } from './http/rateLimiter';
import { ANONYMOUS_REGISTRATION, OPEN_REGISTRATION_LIMITS, createRegistrationRoutes } from './http/registrationRoutes';
import { createRegistrationService } from './registration/registrationService';
import { createLiveFeed } from './live';
import { type Logger, createLogger } from './logger';
import { eventStoreIdentity, openEventStore, sqliteEventsFile } from './openEventStore';
import { type ReadModelDatabase, type SignedHeadStore, createReadModel, openReadModelDatabase, openSignedHeadStore } from './readmodel';
import { type LoadedKey } from './auth/keyFile';
import { acquireDataDir } from './ownership/dataDirOwner';

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
  /** The embedded store's page limit before each append (see SqliteEventStoreOptions.maxPageCount): tests fill it as a full disk does. */
  sqliteMaxPageCount?: () => number | null;
}

/** The embedded event store's file and the read-model file inside the data directory. */
export const dataFiles = (dataDir: string) => ({
  events: sqliteEventsFile(dataDir),
  readModel: path.join(dataDir, 'readmodel.db'),
  /** The tree heads this instance signed: its memory of what it vouched for (not rebuilt from the events). */
  signedHeads: path.join(dataDir, 'audit-heads.db'),
  /** The answers kept for mutations sent with an Idempotency-Key, until they expire. */
  idempotency: path.join(dataDir, 'idempotency.db'),
  /** Where an online rebuild builds a projection's new tables before swapping them in. */
  rebuild: path.join(dataDir, 'readmodel-rebuild.db'),
});

/** Undo steps of what was started, run in reverse order by `stop()` or when a later step fails. */
type Started = (() => unknown)[];

/** Opens the event store and the read model, and ties the read model to the store it is built from. */
const openStores = (config: AppConfig, logger: Logger, started: Started, overrides: AppOverrides, storeHead: HeadTracker) => {
  const opened = openEventStore(config.eventStore, config.dataDir, { maxPageCount: overrides.sqliteMaxPageCount });
  const store = instrumentEventStore(opened, (position) => storeHead.saw(position));
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
  positions: PositionSeal;
  started: Started;
}

/** What resolvers use: the command handler over the store, the read model's named queries and its live feed, time travel over the store, and the audit log. */
const servicesOf = (config: AppConfig, overrides: AppOverrides, { store, readModel, projections, audit, positions, started }: ServiceParts): Services => {
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
    positions,
  };
};

/** The key sealing the positions tenants see; instances of one EventStoreDB need one shared key for Consistency-Position. */
const positionSealOf = (config: AppConfig, logger: Logger): PositionSeal => {
  if (config.eventStore.kind === 'eventstoredb' && config.positionKey.kind === 'dataDir') {
    logger.warn(
      'POSITION_KEY_FILE is not set: positions are sealed with a key of this DATA_DIR, so another instance on the same EventStoreDB refuses them as Consistency-Position; give every instance one shared POSITION_KEY_FILE',
    );
  }
  return loadPositionSeal(config.positionKey);
};

/** Safe retries: the answers kept for Idempotency-Keys, in DATA_DIR. */
const idempotencyOf = (config: AppConfig, overrides: AppOverrides, started: Started) => {
  const records = openIdempotencyRecords(dataFiles(config.dataDir).idempotency);
  started.push(() => records.close());
  return createIdempotency({ records, ttlMs: config.idempotencyKeyTtlSeconds * 1000, now: overrides.now ?? (() => new Date()) });
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

/** GraphQL over HTTP and subscriptions on one server (not yet listening), with every limit of a request. */
const serveApi = async (
  config: AppConfig,
  overrides: AppOverrides,
  logger: Logger,
  started: Started,
  { verifier, services, projections, operatorRoutes, store }: { verifier: TokenVerifier; services: Services; projections: ProjectionRunner; operatorRoutes: ReturnType<typeof operatorRoutesOf>; store: EventStore },
) => {
  const schema = buildAppSchema();
  const limits = { maxDepth: config.maxQueryDepth, maxCost: config.maxQueryCost };
  const rateLimiter = createRateLimiter(config.rateLimits);
  const apollo = createApolloServer({ schema, production: config.production, limits, logger, maxMutations: config.maxMutationsPerOperation, rateLimiter });
  await apollo.start();
  started.push(() => apollo.stop());
  const idempotency = idempotencyOf(config, overrides, started);
  const registration = createRegistrationService({ commands: services.commands, store, newId: overrides.newId ?? randomUUID });
  const openQuota = { max: config.openRegistrationQuota, used: (tenantId: string) => services.readModel.countClientsCreatedBy(tenantId, ANONYMOUS_REGISTRATION.id) };
  const registrationRoutes = createRegistrationRoutes({ registration, verifier, maxBodyBytes: config.maxBodyBytes, openTenants: config.openRegistrationTenants, openRateLimiter: createRateLimiter(OPEN_REGISTRATION_LIMITS), openQuota });
  const server = createHttpServer({
    apollo,
    verifier,
    services,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    maxResponseBytes: config.maxResponseBytes,
    rateLimiter,
    production: config.production,
    consistencyWaitMs: config.readYourWritesTimeoutMs,
    pages: webPages(config, overrides.webAssetsDir, logger),
    readiness: readinessOf(config, projections),
    idempotency,
    operatorRoutes,
    registrationRoutes,
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
    rateLimiter,
  });
  return { server, subscriptions };
};

/** Starts the whole service: store, projections, GraphQL over HTTP. */
export const startApp = async (config: AppConfig, overrides: AppOverrides = {}): Promise<RunningApp> => {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true });
  const verifier = await createTokenVerifier(config.auth, { maxTokenLifetimeSeconds: config.maxTokenLifetimeSeconds });
  const auditKey = await loadAuditKey(config.auditKey);
  const positions = positionSealOf(config, logger);
  const started: Started = [];
  // 0. One owner per data directory: a second server, or a rebuild or restore, is refused while this one runs.
  const owner = acquireDataDir(config.dataDir, 'server');
  started.push(() => owner.release());
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
    const { store, readModel, heads } = openStores(config, logger, started, overrides, headTracker);
    const projections = new ProjectionRunner({ store, db: readModel, projections: ALL_PROJECTIONS, logger, batchSize: config.projectionBatchSize });
    projections.start();
    started.push(() => projections.stop());
    const operatorRoutes = operatorRoutesOf(config, logger, started, { store, readModel, projections, headTracker });
    const services = servicesOf(config, overrides, { store, readModel, projections, audit: { heads, key: auditKey }, positions, started });
    const { server, subscriptions } = await serveApi(config, overrides, logger, started, { verifier, services, projections, operatorRoutes, store });
    const { url, port } = await listen(server, config, started);
    started.push(() => subscriptions.close());
    const metricsUrl = config.metrics.serve === 'main' ? `${url}/metrics` : await listenForMetrics(config, logger, started);
    return { url, port, store, readModel, projections, logger, metricsUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
