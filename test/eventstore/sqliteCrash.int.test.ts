import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RecordedEvent } from '../../src/eventstore';
import { getSqliteEventStore } from '../../src/eventstore/sqlite';
import { probe } from './contract/subscriptionProbe';
import { type Ack, buildAppenderScript, startAppender } from './support/appender';

describe('sqlite event store killed mid-append', () => {
  let dir: string;
  let script: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eventstore-crash-'));
    script = buildAppenderScript(dir);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged append, whole and gapless, across repeated SIGKILLs', async () => {
    const path = join(dir, 'events.db');
    const acks: Ack[] = [];
    for (const [round, ackCount] of [150, 400, 275].entries()) {
      const appender = startAppender(script, path, `round${round}`, 'forever');
      await appender.waitForAcks(ackCount);
      appender.child.kill('SIGKILL');
      expect(await appender.exited).toBe('SIGKILL');
      acks.push(...appender.acks);
    }

    const integrity = new Database(path);
    expect(integrity.pragma('integrity_check', { simple: true })).toBe('ok');
    integrity.close();

    const store = getSqliteEventStore({ path });
    try {
      const subscription = probe(store.subscribeToAll());
      const all: RecordedEvent[] = await subscription.untilCaughtUp(20_000);
      await subscription.unsubscribe();

      expect(all.map((e) => e.position.commit)).toEqual(all.map((_, i) => BigInt(i + 1)));
      const byId = new Map(all.map((e) => [e.id, e]));
      for (const ack of acks) {
        const written = ack.ids.map((id) => byId.get(id));
        expect(written.map((e) => e?.streamId)).toEqual(ack.ids.map(() => ack.streamId));
        expect(written.at(-1)?.revision).toBe(BigInt(ack.revision));
        expect(written.at(-1)?.position.commit).toBe(BigInt(ack.position));
      }

      const batches = new Map<string, RecordedEvent[]>();
      for (const e of all) {
        const key = JSON.stringify([e.data.prefix, e.data.batch]);
        batches.set(key, [...(batches.get(key) ?? []), e]);
      }
      for (const batch of batches.values()) {
        expect(batch.map((e) => e.data.index)).toEqual(batch.map((_, i) => i));
        expect(batch).toHaveLength(batch[0].data.size as number);
      }
      expect(batches.size - acks.length).toBeGreaterThanOrEqual(0);
      expect(batches.size - acks.length).toBeLessThanOrEqual(3);

      const streams = new Set(all.map((e) => e.streamId));
      for (const streamId of streams) {
        const { events } = await store.readStream(streamId);
        expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => BigInt(i)));
      }
    } finally {
      await store.close();
    }
  }, 40_000);
});
