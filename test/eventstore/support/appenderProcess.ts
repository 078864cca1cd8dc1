import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { getSqliteEventStore } from '../../../src/eventstore/sqlite';

/**
 * Child process of the multi-process and crash tests: appends batches of 1 to 4 events to seven
 * streams named after a prefix, printing one JSON line per acknowledged append.
 * Arguments: database path, stream prefix, number of appends or `forever`.
 */
const [path, prefix, limitText] = process.argv.slice(2);
const limit = limitText === 'forever' ? Infinity : Number(limitText);

const main = async (): Promise<void> => {
  const store = getSqliteEventStore({ path });
  for (let batch = 0; batch < limit; batch++) {
    const streamId = `${prefix}-${batch % 7}`;
    const size = 1 + (batch % 4);
    const events = Array.from({ length: size }, (_, index) => ({
      id: randomUUID(),
      type: 'Appended',
      data: { prefix, batch, index, size },
    }));
    const result = await store.appendToStream(streamId, events);
    const ack = {
      streamId,
      ids: events.map((e) => e.id),
      revision: String(result.nextExpectedRevision),
      position: String(result.position.commit),
    };
    writeSync(1, `${JSON.stringify(ack)}\n`);
  }
  await store.close();
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
