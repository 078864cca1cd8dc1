import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const projectRoot = resolve(__dirname, '../../..');

/** One append the child process reported as acknowledged. */
export interface Ack {
  streamId: string;
  ids: string[];
  revision: string;
  position: string;
}

/** A running appender child and what it acknowledged so far. */
export interface Appender {
  child: ChildProcess;
  acks: Ack[];
  /** Resolves with the exit code, or the signal that ended the child. */
  exited: Promise<number | NodeJS.Signals | null>;
  stderr(): string;
  waitForAcks(count: number, timeoutMs?: number): Promise<void>;
}

/**
 * Bundles `appenderProcess.ts` and the adapter into one plain JS file in `dir`. esbuild runs in
 * its own node process, outside jest's module sandbox; better-sqlite3 stays external.
 */
export const buildAppenderScript = (dir: string): string => {
  const outfile = join(dir, 'appender.js');
  const options = {
    entryPoints: [join(__dirname, 'appenderProcess.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    outfile,
    logLevel: 'error',
  };
  execFileSync(process.execPath, ['-e', `require('esbuild').buildSync(${JSON.stringify(options)})`], {
    cwd: projectRoot,
    stdio: 'pipe',
  });
  return outfile;
};

/** Starts the bundled appender on `path`: `limit` appends to streams `<prefix>-0..6`, or `forever`. */
export const startAppender = (script: string, path: string, prefix: string, limit: number | 'forever'): Appender => {
  const child = spawn(process.execPath, [script, path, prefix, String(limit)], {
    env: { ...process.env, NODE_PATH: join(projectRoot, 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acks: Ack[] = [];
  let pending = '';
  let errors = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) acks.push(JSON.parse(line) as Ack);
    for (const waiter of waiters) waiter();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    errors += chunk;
  });
  const exited = new Promise<number | NodeJS.Signals | null>((done) => {
    child.on('exit', (code, signal) => {
      for (const waiter of waiters) waiter();
      done(code ?? signal);
    });
  });

  const waitForAcks = (count: number, timeoutMs = 20_000) =>
    new Promise<void>((done, fail) => {
      const check = () => {
        if (acks.length >= count) finish(done);
        else if (child.exitCode !== null || child.signalCode !== null) {
          finish(() => fail(new Error(`appender ended after ${acks.length} acks: ${errors}`)));
        }
      };
      const timer = setTimeout(() => finish(() => fail(new Error(`only ${acks.length} acks`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });

  return { child, acks, exited, stderr: () => errors, waitForAcks };
};
