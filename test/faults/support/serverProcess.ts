import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

const projectRoot = path.resolve(__dirname, '..', '..', '..');

/**
 * Compiles the service into its own folder under `.test-build/` (not `dist/`, which other suites
 * rebuild while this one runs) and answers the path of its `main.js`.
 */
export const buildServer = (name: string): string => {
  const outDir = path.join(projectRoot, '.test-build', name);
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir, '--tsBuildInfoFile', path.join(outDir, '.tsbuildinfo')],
    { cwd: projectRoot, stdio: 'pipe' },
  );
  return path.join(outDir, 'src', 'main.js');
};

/** A server running as its own process, as an operator starts it. */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything it wrote, stdout and stderr together. */
  output(): string;
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals | null>;
  kill(signal: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

/** Starts `main` on `dataDir` in development mode (the dev key of the data directory) on a free loopback port. */
export const startServer = async (main: string, dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> => {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AUTH_|EVENT_STORE|EVENTSTORE_|PORT$|HOST$)/.test(name)));
  const child = spawn(process.execPath, [main], {
    cwd: projectRoot,
    env: { ...inherited, NODE_ENV: 'development', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  let ended = false;
  void exited.then(() => (ended = true));
  const deadline = Date.now() + 30_000;
  let url: string | undefined;
  while (!(url = /listening on (http:\/\/\S+)/.exec(output)?.[1])) {
    if (ended || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    child,
    url,
    output: () => output,
    exited,
    kill: (signal) => {
      if (!ended) child.kill(signal);
      return exited;
    },
  };
};

/** Waits until the server's projections have caught up (`/ready` answers 200). */
export const untilReady = async (url: string, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${url}/ready`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
