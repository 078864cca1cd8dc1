import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { SingleBar } from 'cli-progress';
import { tenantIdProblem } from './auth';
import { type CliCommand, type CliIo, CliError, EXIT_USAGE, dataDirFrom, eventStoreConfigFrom } from './cliCore';
import { describeEventStore, openEventStore } from './openEventStore';
import { seedClients } from './seed/seedClients';

/** A whole number from `min` to `max`, for an option named `name`. */
const wholeNumber = (name: string, min: number, max: number) => (text: string): number => {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
  return value;
};

interface SeedCliOptions {
  tenant: string;
  clients: number;
  eventsPerClient: number;
  randomSeed: number;
}

/** Draws progress on stderr for runs long enough to need it. */
const progressBar = (io: CliIo, clients: number) => {
  if (clients < 1000) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream: { write: (text: string) => (io.stderr(text), true), isTTY: process.stderr.isTTY, columns: process.stderr.columns } as unknown as NodeJS.WritableStream,
    format: 'seed [{bar}] {percentage}% | {value}/{total} clients | {events} events',
    noTTYOutput: true,
    notTTYSchedule: 2000,
  });
  bar.start(clients, 0, { events: 0 });
  return { update: (done: number, events: number) => bar.update(done, { events }), stop: () => bar.stop() };
};

/** The seeding itself: the configured store opened for a bulk load, the clients written, a summary. */
const seedAction = (io: CliIo) => async (options: SeedCliOptions) => {
  const tenantId = options.tenant;
  const problem = tenantIdProblem(tenantId);
  if (problem !== null) throw new CliError(`--tenant: the tenant id ${problem}.`, EXIT_USAGE);
  const config = eventStoreConfigFrom(io);
  const dataDir = dataDirFrom(io);
  mkdirSync(dataDir, { recursive: true });
  // A bulk load: commits reach the disk at checkpoints rather than one fsync per client.
  const store = openEventStore(config, dataDir, { synchronous: 'NORMAL' });
  const started = Date.now();
  const bar = progressBar(io, options.clients);
  try {
    const events = await seedClients(store, { ...options, tenantId, newId: randomUUID, now: new Date(), onProgress: bar.update });
    bar.stop();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    io.stderr(`Seeded ${options.clients} clients (${events} events) for tenant "${tenantId}" into the ${describeEventStore(config, dataDir)} in ${seconds} s.\n`);
    io.stderr('A running server shows them once its projections catch up; otherwise they are built when it starts (or run `npm run rebuild`).\n');
  } finally {
    bar.stop();
    await store.close();
  }
};

/** `seed`: made-up but realistic clients and histories, for benchmarks and for a populated console. */
export const seedCommand: CliCommand = (program, io) => {
  program
    .command('seed')
    .description(
      'Write made-up clients (varied names, redirect URLs, logout URLs, origins, tags, histories) into the event store (EVENT_STORE), ' +
        'through the store and the real decider. Works beside a running server.',
    )
    .requiredOption('--tenant <id>', 'the tenant the clients belong to')
    .requiredOption('--clients <n>', 'how many clients (1 to 10000000)', wholeNumber('--clients', 1, 10_000_000))
    .option('--events-per-client <k>', 'events in each client\'s history, its creation included (1 to 1000)', wholeNumber('--events-per-client', 1, 1000), 10)
    .option('--random-seed <n>', 'the same seed makes the same names, lists and histories (ids are always new)', wholeNumber('--random-seed', 0, 2 ** 32 - 1), 1)
    .action(seedAction(io));
};
