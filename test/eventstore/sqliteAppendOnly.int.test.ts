import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getSqliteEventStore } from '../../src/eventstore/sqlite';

describe('the embedded store file refuses to change or lose a recorded event', () => {
  let dir: string;
  let path: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eventstore-append-only-'));
    path = join(dir, 'events.db');
    const store = getSqliteEventStore({ path });
    await store.appendToStream('client-append-only', [{ type: 'Noted', data: { n: 1 } }, { type: 'Noted', data: { n: 2 } }]);
    await store.close();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs `sql` on the file through a connection of its own, as another program with file access would. */
  const tamper = (sql: string) => {
    const db = new Database(path);
    try {
      db.prepare(sql).run();
    } finally {
      db.close();
    }
  };

  it.each([
    ['an UPDATE of an event', `UPDATE events SET data = '{"n":9}'`, 'recorded events are immutable'],
    ['a DELETE of an event', 'DELETE FROM events WHERE rowid = (SELECT MAX(rowid) FROM events)', 'recorded events are never deleted'],
  ])('aborts %s, leaving every event as recorded', async (_what, sql, message) => {
    expect(() => tamper(sql)).toThrow(message);
    const store = getSqliteEventStore({ path });
    try {
      const { events } = await store.readStream('client-append-only');
      expect(events.map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await store.close();
    }
  });
});
