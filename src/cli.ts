import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import {
  DEV_DEFAULT_SUBJECT,
  DEV_TOKEN_DEFAULT_EXPIRES_IN_SECONDS,
  ROLE_NAMES,
  type Role,
  isProduction,
  isRole,
  mintDevToken,
  resolveAuthConfig,
  tenantIdProblem,
} from './auth';
import { ALL_PROJECTIONS, bindReadModelToStore, rebuildProjections } from '../projections';
import { dataFiles } from './app';
import { type EventStoreConfig, maxTokenLifetimeOf } from './config';
import { CLIENT_STREAM_PREFIX } from './domain/client';
import { StoreUnavailableError } from './eventstore';
import { describeEventStore, eventStoreIdentity, openEventStore } from './openEventStore';
import { printAppSchema } from './graphql/schema';
import { silentLogger } from './logger';
import { openReadModelDatabase } from './readmodel';
import { auditCommand } from './auditCli';
import { backupCommands } from './backupCli';
import { projectionsCommand } from './projectionsCli';
import { seedCommand } from './seedCli';
import { checkRedirectCommand } from './redirectCli';
import { type CliCommand, type CliIo, CliError, EXIT_USAGE, dataDirFrom, eventStoreConfigFrom } from './cliCore';
import { holdDataDir } from './ownership/holdDataDir';

export { type CliCommand, type CliIo, CliError, EXIT_USAGE, dataDirFrom } from './cliCore';

/** `token`: prints a development token, alone on stdout, for the key in the data directory. */
export const tokenCommand: CliCommand = (program, io) => {
  program
    .command('token')
    .description('Print a development bearer token (alone on stdout) signed by the key in DATA_DIR.')
    .requiredOption('--tenant <id>', 'tenant id (tid claim)', nonEmpty('--tenant'))
    .requiredOption(
      '--role <role>',
      `role (roles claim), repeatable: ${ROLE_NAMES.map((role) => `"${role}"`).join(', ')}`,
      collectRole,
    )
    .option('--sub <id>', `subject (sub claim), the actor in the audit trail (default "${DEV_DEFAULT_SUBJECT}")`, nonEmpty('--sub'))
    .option('--name <name>', 'display name (name claim)')
    .option(
      '--expires-in <seconds>',
      `lifetime in seconds (default ${DEV_TOKEN_DEFAULT_EXPIRES_IN_SECONDS}, 8 hours; at most AUTH_MAX_TOKEN_LIFETIME_SECONDS, default 24 hours)`,
      positiveInteger,
    )
    .action(async (options: { tenant: string; role: Role[]; sub?: string; name?: string; expiresIn?: number }) => {
      const dataDir = dataDirFrom(io);
      assertDevelopmentAuth(io.env, dataDir);
      const now = new Date();
      const expiresInSeconds = options.expiresIn ?? DEV_TOKEN_DEFAULT_EXPIRES_IN_SECONDS;
      const maxLifetimeSeconds = maxTokenLifetimeOf(io.env);
      if (expiresInSeconds > maxLifetimeSeconds) {
        throw new CliError(
          `--expires-in is ${expiresInSeconds} seconds, more than the server accepts: at most ${maxLifetimeSeconds} (AUTH_MAX_TOKEN_LIFETIME_SECONDS).`,
          EXIT_USAGE,
        );
      }
      const tenantProblem = tenantIdProblem(options.tenant.trim());
      if (tenantProblem !== null) throw new CliError(`--tenant: the tenant id ${tenantProblem}.`, EXIT_USAGE);
      const token = await mintDevToken({
        dataDir,
        tenantId: options.tenant,
        roles: options.role,
        subject: options.sub,
        name: options.name,
        expiresInSeconds,
        maxLifetimeSeconds,
        now,
      });
      io.stdout(`${token}\n`);
      const expiresAt = new Date(now.getTime() + expiresInSeconds * 1000).toISOString();
      io.stderr(
        `Development token for tenant "${options.tenant.trim()}" as "${options.sub ?? DEV_DEFAULT_SUBJECT}" ` +
          `(${options.role.join(', ')}), valid until ${expiresAt}. ` +
          'Send it as the header "Authorization: Bearer <token>".\n',
      );
    });
};

/** The checked-in schema file, relative to the project root. */
export const SCHEMA_FILE = path.join('schema', 'schema.graphql');

/** `schema`: writes the GraphQL schema generated from the code, or checks the checked-in one. */
export const schemaCommand: CliCommand = (program, io) => {
  program
    .command('schema')
    .description(`Write ${SCHEMA_FILE} from the code (run from the project root), or --check that it is current.`)
    .option('--check', 'only compare; exit 1 when the file differs from the code')
    .action((options: { check?: boolean }) => {
      const file = path.resolve(io.cwd, SCHEMA_FILE);
      const generated = printAppSchema();
      const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
      if (options.check) {
        if (current !== generated) throw new CliError(`${SCHEMA_FILE} is stale: run \`npm run schema\` and commit it.`);
        io.stderr(`${SCHEMA_FILE} matches the code.\n`);
        return;
      }
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, generated);
      io.stderr(`${current === generated ? 'Unchanged' : 'Wrote'} ${SCHEMA_FILE}\n`);
    });
};

/** `rebuild`: empties the read model and applies every event again (run while the server is stopped). */
export const rebuildCommand: CliCommand = (program, io) => {
  program
    .command('rebuild')
    .description(
      'Rebuild the read model (client list, audit trail) in DATA_DIR from the events (EVENT_STORE). Stop the server first.',
    )
    .action(async () => {
      const dataDir = dataDirFrom(io);
      const files = dataFiles(dataDir);
      const storeConfig = eventStoreConfigFrom(io);
      if (storeConfig.kind === 'sqlite' && !existsSync(files.events)) {
        throw new CliError(`No event store at ${files.events}: nothing to rebuild from.`);
      }
      const owner = holdDataDir(dataDir, 'rebuild');
      try {
        await rebuildReadModel(io, dataDir, storeConfig);
      } finally {
        owner.release();
      }
    });
};

/** Empties the read model in `dataDir` and applies every event of the store again; the caller holds the data directory. */
export const rebuildReadModel = async (io: CliIo, dataDir: string, storeConfig: EventStoreConfig): Promise<void> => {
  const files = dataFiles(dataDir);
  io.stderr(`Rebuilding from the ${describeEventStore(storeConfig, dataDir)}\n`);
  const store = openEventStore(storeConfig, dataDir);
  // Reach the store before the read model is emptied: a store that is down leaves it as it was.
  try {
    await store.readStream(CLIENT_STREAM_PREFIX, { maxCount: 0 });
  } catch (error) {
    await store.close();
    if (error instanceof StoreUnavailableError) {
      throw new CliError(`${error.message}. Nothing was rebuilt; the read model is as it was.`);
    }
    throw error;
  }
  const db = openReadModelDatabase(files.readModel);
  try {
    bindReadModelToStore(db, eventStoreIdentity(storeConfig), ALL_PROJECTIONS);
    const started = Date.now();
    const status = await rebuildProjections({ store, db, projections: ALL_PROJECTIONS, logger: silentLogger() });
    for (const projection of status) {
      io.stderr(`${projection.name}: ${projection.eventsApplied} events applied, at position ${projection.position ?? 'start'}\n`);
    }
    io.stderr(`Read model rebuilt in ${Date.now() - started} ms: ${files.readModel}\n`);
  } finally {
    await store.close();
    db.close();
  }
};

/** Every command of the command line, in help order. */
export const COMMANDS: readonly CliCommand[] = [
  tokenCommand,
  schemaCommand,
  rebuildCommand,
  auditCommand,
  backupCommands(rebuildReadModel),
  projectionsCommand,
  seedCommand,
  checkRedirectCommand,
];

/** Builds the command line program; output goes to `io` and errors throw instead of exiting. */
export function buildCli(io: CliIo, commands: readonly CliCommand[] = COMMANDS): Command {
  const program = new Command('authorization-code-clients')
    .description('Authorization code client service: command line tools.')
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  for (const command of commands) command(program, io);
  return program;
}

/** Runs the command line on user arguments (no node/script prefix); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildCli(io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}

function assertDevelopmentAuth(env: NodeJS.ProcessEnv, dataDir: string): void {
  if (isProduction(env)) {
    throw new CliError(
      'the token command makes development tokens, which are never accepted in production ' +
        '(NODE_ENV=production); get a token from your identity provider.',
    );
  }
  const config = resolveAuthConfig(env, dataDir);
  if (config.mode !== 'dev') {
    throw new CliError(
      `the server is configured to accept only tokens issued by ${config.issuer} (AUTH_* variables are set), ` +
        'so a development token would be refused; unset them to use the development signing key.',
    );
  }
}

function collectRole(value: string, previous: Role[] = []): Role[] {
  if (!isRole(value)) {
    throw new InvalidArgumentError(
      `Unknown role "${value}". Valid roles: ${ROLE_NAMES.map((role) => `"${role}"`).join(', ')}.`,
    );
  }
  return previous.includes(value) ? previous : [...previous, value];
}

function nonEmpty(flag: string): (value: string) => string {
  return (value) => {
    if (value.trim() === '') throw new InvalidArgumentError(`${flag} must not be empty.`);
    return value.trim();
  };
}

function positiveInteger(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('Expected a positive whole number of seconds.');
  }
  return seconds;
}

if (require.main === module) {
  void runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdoutStream: process.stdout,
    env: process.env,
    cwd: process.cwd(),
  }).then((exitCode) => {
    process.exitCode = exitCode;
  });
}
