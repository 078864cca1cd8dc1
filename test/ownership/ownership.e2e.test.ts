import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ownerLockFile } from '../../src/ownership/dataDirOwner';

const projectRoot = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AUTH_|EVENT_STORE|EVENTSTORE_|NODE_ENV)/.test(name)));

interface Server {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

const spawnServer = (dataDir: string): Server => {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: projectRoot,
    env: { ...baseEnv, NODE_ENV: 'development', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
};

/** Answers the server's URL once it listens, or null when it exited first. */
const listening = async (server: Server): Promise<string | null> => {
  let gone = false;
  void server.exited.then(() => (gone = true));
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const url = /listening on (http:\/\/\S+)/.exec(server.output())?.[1];
    if (url) return url;
    if (gone) return null;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`server neither started nor exited: ${server.output()}`);
};

const cli = (dataDir: string, args: string[]) =>
  run(process.execPath, ['dist/src/cli.js', ...args], { cwd: projectRoot, env: { ...baseEnv, NODE_ENV: 'development', DATA_DIR: dataDir } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

const addClient = async (url: string, token: string, name: string) => {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: 'mutation($i: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $i) { client { id } } }',
      variables: { i: { name, allowedRedirectUrls: ['https://app.example.com/cb'] } },
    }),
  });
  const body = (await response.json()) as { data: { addAuthorizationCodeClient: { client: { id: string } } } };
  return body.data.addAuthorizationCodeClient.client.id;
};

describe('one owner per data directory', () => {
  let dataDir: string;
  const servers: Server[] = [];
  const start = (dir = dataDir) => {
    const server = spawnServer(dir);
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: projectRoot });
  }, 180_000);
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'acc-owner-'));
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second server, and rebuild and restore, naming the running one; read-only commands keep working', async () => {
    const first = start();
    const url = await listening(first);
    expect(url).not.toBeNull();
    const pid = first.child.pid!;

    const second = start();
    expect(await listening(second)).toBeNull();
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(new RegExp(`^Cannot start: .* is in use by the server \\(pid ${pid} on host \\S+, started \\S+\\); stop it first`));
    expect(second.output().trim().split('\n')).toHaveLength(1);

    const rebuild = await cli(dataDir, ['rebuild']);
    expect(rebuild.code).toBe(1);
    expect(rebuild.stderr).toMatch(new RegExp(`rebuild refused: .* in use by the server \\(pid ${pid} `));
    const restore = await cli(dataDir, ['restore', path.join(dataDir, 'events.db')]);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(new RegExp(`restore refused: .* in use by the server \\(pid ${pid} `));

    const token = await cli(dataDir, ['token', '--tenant', 't1', '--role', 'Tenant Administrator']);
    expect(token.code).toBe(0);
    const clientId = await addClient(url!, token.stdout.trim(), 'Owned');
    const backupFile = path.join(dataDir, 'copy.db');
    const backup = await cli(dataDir, ['backup', backupFile]);
    expect(backup).toMatchObject({ code: 0, stdout: '' });
    expect(backup.stderr).toMatch(/Backed up 1 events/);
    const exported = await cli(dataDir, ['audit', 'export', '--tenant', 't1']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(clientId);

    // The first server is unharmed: it still writes and its projections still follow.
    await expect(addClient(url!, token.stdout.trim(), 'Still owned')).resolves.toMatch(/^[0-9a-f-]{36}$/);
    await expect(fetch(`${url}/ready`).then((r) => r.status)).resolves.toBe(200);
  }, 90_000);

  it('npm run rebuild is refused while a server runs', async () => {
    const first = start();
    expect(await listening(first)).not.toBeNull();
    const npm = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'rebuild'], {
      cwd: projectRoot,
      env: { ...baseEnv, DATA_DIR: dataDir },
    }).catch((error: { code: number; stderr: string }) => error);
    expect((npm as { code: number }).code).toBe(1);
    expect((npm as { stderr: string }).stderr).toContain(`in use by the server (pid ${first.child.pid} `);
  }, 120_000);

  it('takes over the lock a SIGKILLed server left, and of two starters racing for it exactly one wins', async () => {
    const killed = start();
    expect(await listening(killed)).not.toBeNull();
    killed.child.kill('SIGKILL');
    await killed.exited;
    const left = JSON.parse(readFileSync(ownerLockFile(dataDir), 'utf8')) as { pid: number };
    expect(left.pid).toBe(killed.child.pid);

    const racers = [start(), start(), start()];
    const urls = await Promise.all(racers.map(listening));
    const winners = racers.filter((_, index) => urls[index] !== null);
    expect(winners).toHaveLength(1);
    for (const loser of racers.filter((_, index) => urls[index] === null)) {
      expect(await loser.exited).toBe(1);
      expect(loser.output()).toContain(`in use by the server (pid ${winners[0].child.pid} `);
    }
    const taken = JSON.parse(readFileSync(ownerLockFile(dataDir), 'utf8')) as { pid: number };
    expect(taken.pid).toBe(winners[0].child.pid);

    winners[0].child.kill('SIGTERM');
    expect(await winners[0].exited).toBe(0);
    expect(existsSync(ownerLockFile(dataDir))).toBe(false);
    const after = await cli(dataDir, ['rebuild']);
    expect(after.code).toBe(0);
  }, 90_000);
});
