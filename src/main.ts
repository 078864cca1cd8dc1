import 'reflect-metadata';
import { startApp } from './app';
import { ConfigError, describeAuthConfig } from './auth';
import { loadConfig } from './config';
import { describeEventStore } from './openEventStore';
import { DataDirInUseError } from './ownership/dataDirOwner';
import { listenFailure, nodeEnvWarning, serverArguments, tokenCommandFor } from './startup';

/** Starts the service from the environment and stops it cleanly on SIGINT/SIGTERM. */
const main = async (): Promise<void> => {
  const asked = serverArguments(process.argv.slice(2));
  if (asked !== null) {
    (asked.exitCode === 0 ? process.stdout : process.stderr).write(asked.text);
    process.exit(asked.exitCode);
  }
  const warning = nodeEnvWarning(process.env);
  if (warning !== null) process.stderr.write(`${warning}\n`);
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
    const listening = listenFailure(error, config.host, config.port);
    if (listening !== null) {
      process.stderr.write(`Cannot start: ${listening}\n`);
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
    lines.push(`  Token:         ${tokenCommandFor(config.dataDir)}`);
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
