import { type TestApp, startTestApp } from '../testing/testApp';
import { acknowledgedCount, newWorker, runWorker, seeded, untilAcknowledged } from './support/mutationLoad';
import { expectAcknowledgedOnce, expectReadModelEqualsRebuild, reconcile } from './support/reconcile';
import { untilReady } from './support/serverProcess';

jest.setTimeout(300_000);

const ROUNDS = 6;
const WORKERS = 4;
/** The rounds' random plan; a failure names it, and FAULT_SEED=<seed> replays it. */
const SEED = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`the EventStoreDB stand-in restarted under mixed mutations (seed ${SEED})`, () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp({ eventStore: 'standin' });
  });
  afterAll(() => test.dispose());

  it(`keeps every acknowledged change, doubles none, recovers by itself, and its read model equals a rebuild, over ${ROUNDS} restarts`, async () => {
    const standin = test.standin!;
    const random = seeded(SEED);
    let counter = 0;
    const unique = () => `s${SEED.toString(36)}-${(counter += 1)}`;
    const workers = Array.from({ length: WORKERS }, newWorker);
    const { token } = await test.caller('tenant-standin-faults', { subject: 'loader', name: 'Loader' });
    let landed = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      await untilReady(test.url);
      landed += await reconcile(test.url, token, workers, round);
      const before = acknowledgedCount(workers);
      const runs = workers.map((worker) => runWorker(test.url, token, worker, random, unique, () => false, { storeMayFail: true }));
      await untilAcknowledged(workers, before, 2 * WORKERS);
      await sleep(random() * 500);
      // The store goes away under load, then comes back with its log: each worker stops at its first failed mutation.
      await standin.stop();
      await Promise.all(runs);
      await sleep(random() * 500);
      await standin.restart();
    }
    await untilReady(test.url);
    landed += await reconcile(test.url, token, workers, ROUNDS);

    await expectAcknowledgedOnce(test.url, token, workers, landed, ROUNDS * WORKERS);

    await test.stop();
    await expectReadModelEqualsRebuild(test.dataDir, { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: standin.connectionString });
  });
});
