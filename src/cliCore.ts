import { type Command } from 'commander';
import { ConfigError } from './auth';
import { type EventStoreConfig, dataDirOf, eventStoreConfigOf } from './config';

/** Where the command line writes and what it reads; `main` passes the process's, tests their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Stdout as a stream, for output too large to hold (an export); without it, `stdout` is used. */
  stdoutStream?: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Relative paths (DATA_DIR) are resolved against this directory. */
  cwd: string;
}

/** Exit code of a command that was used wrongly (bad or missing option, unknown command). */
export const EXIT_USAGE = 2;

/** A command failed in a way the user can act on; its message is printed without a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Adds one command to the program; each command of the CLI is one of these. */
export type CliCommand = (program: Command, io: CliIo) => void;

/** The data directory, as the server finds it: DATA_DIR (default ./data) against the cwd. */
export function dataDirFrom(io: CliIo): string {
  return dataDirOf(io.env, io.cwd);
}


/** The event store the server would use (EVENT_STORE and its settings); a bad setting fails the command with its message. */
export function eventStoreConfigFrom(io: CliIo): EventStoreConfig {
  try {
    return eventStoreConfigOf(io.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}
