import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A build of the service to measure: the project folder whose `dist/` is run. */
export interface Variant {
  name: string;
  root: string;
}

/** A server of one variant, started as its own process on a free port. */
export interface ServerProcess {
  url: string;
  token: string;
  /** CPU time the server process has used so far, in milliseconds (user and system); null where /proc is not there. */
  cpuMs(): number | null;
  /** The server process's resident memory (VmRSS in /proc/<pid>/status), in bytes; null where /proc is not there. */
  rssBytes(): number | null;
  stop(): Promise<void>;
}

/** CPU milliseconds a process has used (utime + stime in /proc/<pid>/stat), or null when it cannot be read. */
const cpuMsOf = (pid: number | undefined): number | null => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
};

/** Resident memory of a process in bytes (VmRSS in /proc/<pid>/status, given in kB), or null when it cannot be read. */
const rssBytesOf = (pid: number | undefined): number | null => {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
};

/** Every rate-limit bucket turned off (0 a second). */
const UNLIMITED = Object.fromEntries(
  ['PRINCIPAL_REQUESTS', 'PRINCIPAL_MUTATIONS', 'TENANT_REQUESTS', 'TENANT_MUTATIONS'].map((bucket) => [`RATE_LIMIT_${bucket}_PER_SECOND`, '0']),
);

/** Starts `node dist/src/main.js` of the variant on `dataDir`, and gets an administrator's token from its CLI. */
export const startServer = async (variant: Variant, dataDir: string): Promise<ServerProcess> => {
  // The benchmarks measure throughput: the rate limits, there for floods, are turned off.
  const env = { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', NODE_ENV: 'development', ...UNLIMITED };
  const child: ChildProcess = spawn(process.execPath, [path.join(variant.root, 'dist', 'src', 'main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        const match = /listening on (http:\/\/\S+)/.exec(seen);
        if (match) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`${variant.name}: the server exited (${code}) before listening`)));
    });
    child.stdout!.resume();
    const cli = path.join(variant.root, 'dist', 'src', 'cli.js');
    const { stdout } = await run(process.execPath, [cli, 'token', '--tenant', 'bench', '--role', 'Tenant Administrator'], { env });
    return { url, token: stdout.trim(), cpuMs: () => cpuMsOf(child.pid), rssBytes: () => rssBytesOf(child.pid), stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

/** Runs the variant's `rebuild` command on `dataDir`; answers the milliseconds it reports for the rebuild. */
export const rebuildWith = async (variant: Variant, dataDir: string): Promise<number> => {
  const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'development' };
  const started = performance.now();
  const { stderr } = await run(process.execPath, [path.join(variant.root, 'dist', 'src', 'cli.js'), 'rebuild'], {
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  const reported = /rebuilt in (\d+) ms/.exec(stderr);
  return reported ? Number(reported[1]) : performance.now() - started;
};
