import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const projectRoot = path.resolve(__dirname, '..', '..');
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AUTH_|EVENT_STORE|EVENTSTORE_|NODE_ENV)/.test(name)));

/** Runs the server until it prints its banner (then stops it) or exits; answers its output and exit code. */
const runServer = async (env: Record<string, string>, args: string[] = []) => {
  const child = spawn(process.execPath, ['dist/src/main.js', ...args], {
    cwd: projectRoot,
    env: { ...baseEnv, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
  });
  let stdout = '';
  let stderr = '';
  let stopped = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!stopped && stdout.includes('listening on')) {
      stopped = true;
      // The banner is one write; its signal handlers are in place once it is out.
      setTimeout(() => child.kill('SIGTERM'), 200);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, stdout, stderr };
};

describe('the server process, as a newcomer meets it', () => {
  let dataDir: string;
  beforeAll(async () => {
    await promisify(execFile)(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: projectRoot });
  }, 180_000);
  beforeEach(() => (dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'acc-start-')), 'data dir')));
  afterEach(() => rmSync(path.dirname(dataDir), { recursive: true, force: true }));

  it('--help prints usage, with every variable, and starts nothing', async () => {
    const { code, stdout, stderr } = await runServer({ DATA_DIR: dataDir }, ['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: node dist\/src\/main\.js/);
    expect(stdout).toMatch(/ {2}DATA_DIR +default \.\/data/);
    expect(stdout).toMatch(/ {2}AUTH_JWKS_URL +\(unset\)/);
    expect(stdout).not.toContain('listening on');
    expect(existsSync(dataDir)).toBe(false);
  }, 30_000);

  it('refuses arguments it does not take, with the usage', async () => {
    const { code, stderr } = await runServer({ DATA_DIR: dataDir }, ['--port', '5000']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^The server takes no arguments \(it got "--port" "5000"\)/);
    expect(existsSync(dataDir)).toBe(false);
  }, 30_000);

  it('prints a token command carrying the DATA_DIR it was started with, quoted for the shell', async () => {
    const { code, stdout } = await runServer({ DATA_DIR: dataDir, NODE_ENV: 'development' });
    expect(code).toBe(0);
    expect(stdout).toContain(`Token:         DATA_DIR='${dataDir}' npm run token -- --tenant demo --role "Tenant Administrator"`);
  }, 30_000);

  it.each(['no-such-host.invalid', '203.0.113.7'])('a bad HOST (%s) gives one line', async (host) => {
    const { code, stdout, stderr } = await runServer({ DATA_DIR: dataDir, NODE_ENV: 'development', HOST: host });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^Cannot start: HOST "${host.replace(/\./g, '\\.')}" .*; set HOST to an address of this machine, such as 127\\.0\\.0\\.1 or 0\\.0\\.0\\.0\\.\\n$`));
  }, 30_000);

  it('warns about a NODE_ENV that is neither production nor development or test, and starts', async () => {
    const { code, stdout, stderr } = await runServer({ DATA_DIR: dataDir, NODE_ENV: 'staging' });
    expect(code).toBe(0);
    expect(stdout).toContain('listening on');
    expect(stderr).toContain('Warning: NODE_ENV is "staging", neither production nor development or test: the server runs as in development');
    for (const known of ['development', 'test', 'Development']) {
      const quiet = await runServer({ DATA_DIR: dataDir, NODE_ENV: known });
      expect(quiet.stderr).not.toContain('NODE_ENV');
    }
  }, 60_000);
});
