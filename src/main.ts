import 'reflect-metadata';
import { startApp } from './app';
import { ConfigError, describeAuthConfig } from './auth';
import { loadConfig } from './config';
import { describeEventStore } from './openEventStore';
import { DataDirInUseError } from './ownership/dataDirOwner';

/** Starts the service from the environment and stops it cleanly on SIGINT/SIGTERM. */
const main = async (): Promise<void> => {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  let app;
  try {
    app = await startApp(config);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`Cannot start: ${config.host}:${config.port} is already in use; set PORT (or HOST) to another.\n`);
      process.exit(1);
    }
    if (error instanceof DataDirInUseError) {
      process.stderr.write(`Cannot start: ${error.message}.\n`);
      process.exit(1);
    }
    throw error;
  }
  const lines = [
    `Authorization code client service listening on ${app.url}`,
    `  Admin console: ${app.url}/`,
    `  GraphQL:       POST ${app.url}/graphql`,
    `  GraphiQL:      ${app.url}/graphiql`,
    `  Events:        ${describeEventStore(config.eventStore, config.dataDir)}`,
    `  Data:          ${config.dataDir} (read model${config.eventStore.kind === 'sqlite' ? ' and events' : ''})`,
    `  Auth:          ${describeAuthConfig(config.auth)}`,
  ];
  if (config.auth.mode === 'dev') {
    lines.push('  Token:         npm run token -- --tenant demo --role "Tenant Administrator"');
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  const shutdown = (signal: string) => {
    app.logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        app.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
};

main().catch((error: unknown) => {
  process.stderr.write(`Cannot start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
