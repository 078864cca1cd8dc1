import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROLES } from '../../src/auth';
import { mintDevToken } from '../../src/auth/mintDevToken';
import { acknowledgedCount, newWorker, runWorker, seeded, untilAcknowledged } from './support/mutationLoad';
import { expectAcknowledgedOnce, expectReadModelEqualsRebuild, reconcile } from './support/reconcile';
import { type ServerProcess, buildServer, startServer, untilReady } from './support/serverProcess';

jest.setTimeout(600_000);

const TENANT = 'tenant-faults';
const ROUNDS = 20;
const WORKERS = 4;
/** The rounds' random plan; a failure names it, and FAULT_SEED=<seed> replays it. */
const SEED = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`the server killed with SIGKILL at random moments under mixed mutations (seed ${SEED})`, () => {
  let main: string;
  let dataDir: string;
  let server: ServerProcess | undefined;

  beforeAll(() => {
    main = buildServer('faults-sigkill');
    dataDir = mkdtempSync(path.join(tmpdir(), 'faults-sigkill-'));
  }, 120_000);

  afterAll(async () => {
    await server?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged change, doubles none, and its read model equals a rebuild, over ${ROUNDS} rounds`, async () => {
    const random = seeded(SEED);
    let counter = 0;
    const unique = () => `u${SEED.toString(36)}-${(counter += 1)}`;
    const workers = Array.from({ length: WORKERS }, newWorker);
    server = await startServer(main, dataDir);
    const token = await mintDevToken({ dataDir, tenantId: TENANT, roles: [ROLES.administrator], subject: 'loader', name: 'Loader' });
    let landed = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      await untilReady(server.url);
      landed += await reconcile(server.url, token, workers, round);
      let stopped = false;
      const url = server.url;
      const before = acknowledgedCount(workers);
      const runs = workers.map((worker) => runWorker(url, token, worker, random, unique, () => stopped));
      await untilAcknowledged(workers, before, WORKERS);
      await sleep(random() * 1_000);
      expect(await server.kill('SIGKILL')).toBe('SIGKILL');
      stopped = true;
      await Promise.all(runs);
      server = await startServer(main, dataDir);
    }
    await untilReady(server.url);
    landed += await reconcile(server.url, token, workers, ROUNDS);

    await expectAcknowledgedOnce(server.url, token, workers, landed, ROUNDS * WORKERS);

    // The read model the crashes left equals one rebuilt from the events alone.
    expect(await server.kill('SIGTERM')).toBe(0);
    server = undefined;
    await expectReadModelEqualsRebuild(dataDir);
  });
});
