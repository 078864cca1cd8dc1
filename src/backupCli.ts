import path from 'node:path';
import { type Command } from 'commander';
import { dataFiles } from './app';
import { type CliCommand, type CliIo, CliError, dataDirFrom, eventStoreConfigFrom } from './cliCore';
import { type EventStoreConfig } from './config';
import { NotAnEventStoreError, backupEventStoreFile, restoreEventStoreFile } from './eventstore/sqlite';
import { holdDataDir } from './ownership/holdDataDir';

/** What `backup` and `restore` answer with EVENT_STORE=eventstoredb: the events are not in DATA_DIR. */
export const EVENTSTORE_DB_BACKUP =
  'with EVENT_STORE=eventstoredb the events are in EventStoreDB, not in DATA_DIR: back them up and restore them with ' +
  "EventStoreDB's own backup (a copy of its database folder, as its documentation's backup page describes), " +
  'then run `rebuild` to build this read model from the restored store';

const sqliteOnly = (io: CliIo, command: string): EventStoreConfig => {
  const config = eventStoreConfigFrom(io);
  if (config.kind !== 'sqlite') throw new CliError(`${command} refused: ${EVENTSTORE_DB_BACKUP}.`);
  return config;
};

const checked = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof NotAnEventStoreError) throw new CliError(error.message);
    throw error;
  }
};

/** `backup <file>`: a consistent copy of the embedded event store, taken while the server runs and writes. */
const backupAction = (io: CliIo) => async (file: string) => {
  sqliteOnly(io, 'backup');
  const source = dataFiles(dataDirFrom(io)).events;
  const target = path.resolve(io.cwd, file);
  const started = Date.now();
  const summary = await checked(() => backupEventStoreFile(source, target)).catch((error: unknown) => {
    throw error instanceof CliError ? error : new CliError(`backup failed: ${(error as Error).message}`);
  });
  io.stderr(
    `Backed up ${summary.events} events (to position ${summary.lastPosition ?? 'none'}) from ${source} to ${target} in ${Date.now() - started} ms\n`,
  );
};

/** `restore <file>`: with the server stopped, puts a backup in place of the event store and rebuilds the read model. */
const restoreAction = (io: CliIo, rebuild: RebuildReadModel) => async (file: string) => {
  const config = sqliteOnly(io, 'restore');
  const dataDir = dataDirFrom(io);
  const backup = path.resolve(io.cwd, file);
  const owner = holdDataDir(dataDir, 'restore');
  try {
    const { events } = dataFiles(dataDir);
    const replacedAs = `${events}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const summary = await checked(() => restoreEventStoreFile(backup, events, replacedAs));
    io.stderr(`Restored ${summary.events} events (to position ${summary.lastPosition ?? 'none'}) from ${backup} into ${events}\n`);
    io.stderr(`The store it replaced, if any, is kept as ${replacedAs}\n`);
    await rebuild(io, dataDir, config);
  } finally {
    owner.release();
  }
};

/** Rebuilds the read model of a data directory from its store (the `rebuild` command's work). */
export type RebuildReadModel = (io: CliIo, dataDir: string, storeConfig: EventStoreConfig) => Promise<void>;

/** `backup` and `restore`, the latter rebuilding the read model with `rebuild`. */
export const backupCommands =
  (rebuild: RebuildReadModel): CliCommand =>
  (program: Command, io: CliIo) => {
    program
      .command('backup')
      .description('Copy the embedded event store (DATA_DIR/events.db) to a new <file>, consistently, while the server runs.')
      .argument('<file>', 'the backup file to write; it must not exist')
      .action(backupAction(io));
    program
      .command('restore')
      .description('Put a backup <file> back as the event store of DATA_DIR and rebuild the read model from it. Stop the server first.')
      .argument('<file>', 'a file written by backup')
      .action(restoreAction(io, rebuild));
  };
