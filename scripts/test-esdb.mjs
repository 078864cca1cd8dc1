// `npm run test:esdb`: the store contract and the end-to-end suites against the real EventStoreDB
// named by EVENTSTORE_CONNECTION_STRING. Without it, says so in one line and succeeds.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import process from 'node:process';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING?.trim();
if (!connectionString) {
  process.stdout.write(
    'test:esdb skipped: EVENTSTORE_CONNECTION_STRING is not set. Start EventStoreDB (docker compose up -d eventstoredb) ' +
      'and run: EVENTSTORE_CONNECTION_STRING="esdb://localhost:2113?tls=false" npm run test:esdb\n',
  );
  process.exit(0);
}

const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
// The adapter's contract, two instances on one store, and the service's end-to-end suites
// (the command-line tests in test/cli use their own embedded stores).
const suites = ['test/eventstoredb/eventStoreDBAdapter.int.test.ts', 'test/eventstoredb/twoInstances.e2e.test.ts', 'test/e2e/'];
const args = ['--selectProjects', 'int', 'e2e', '--', ...suites];
const result = spawnSync(process.execPath, [jest, ...args], {
  stdio: 'inherit',
  env: { ...process.env, TEST_EVENT_STORE: 'eventstoredb' },
});
process.exit(result.status ?? 1);
