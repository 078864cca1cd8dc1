import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const projectRoot = path.resolve(__dirname, '..', '..');

describe('the server process', () => {
  beforeAll(async () => {
    await promisify(execFile)(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: projectRoot });
  }, 180_000);

  it.each(['SIGTERM', 'SIGINT'] as const)('on %s closes everything and exits 0', async (signal) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'acc-process-'));
    try {
      const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AUTH_|EVENT_STORE|EVENTSTORE_)/.test(name)));
      // Not NODE_ENV=test (as under jest): libraries behave as in a real deployment.
      const server = spawn(process.execPath, ['dist/src/main.js'], {
        cwd: projectRoot,
        env: { ...env, NODE_ENV: 'development', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
      const deadline = Date.now() + 30_000;
      while (!/listening on (http:\/\/\S+)/.test(output)) {
        if (Date.now() > deadline) throw new Error(`server did not start: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const url = /listening on (http:\/\/\S+)/.exec(output)![1];
      await expect(fetch(`${url}/health`).then((r) => r.status)).resolves.toBe(200);

      server.kill(signal);
      expect(await exited).toBe(0);
      expect(output).toContain('shutting down');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
