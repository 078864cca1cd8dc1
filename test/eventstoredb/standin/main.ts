import { Command, InvalidArgumentError } from 'commander';
import { startEventStoreStandin } from './standinServer';

const toPort = (value: string): number => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return port;
};

const run = async (): Promise<void> => {
  const options = new Command('esdb:standin')
    .description('Starts the in-memory EventStoreDB protocol stand-in (a test double) and prints its connection string.')
    .option('--port <port>', 'port to listen on (0: any free port)', toPort, 2113)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--no-server-features', 'answer ServerFeatures with UNIMPLEMENTED, like a server older than 21.10')
    .parse()
    .opts<{ port: number; host: string; serverFeatures: boolean }>();
  const standin = await startEventStoreStandin(options);
  process.stdout.write(`${standin.connectionString}\n`);
  process.stderr.write(
    'EventStoreDB stand-in: an in-memory TEST DOUBLE of the gRPC protocol, not a database; ' +
      'its data is lost when it stops. Stop it with Ctrl+C (SIGINT) or SIGTERM.\n',
  );
  const shutdown = (): void => {
    standin.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
};

run().catch((error: unknown) => {
  process.stderr.write(`EventStoreDB stand-in failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
