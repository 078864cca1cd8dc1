import { ConfigError } from '../../src/auth';
import { eventStoreConfigOf, loadConfig } from '../../src/config';
import { describeEventStore } from '../../src/openEventStore';

describe('choosing the event store', () => {
  it('is the embedded SQLite store by default', () => {
    expect(eventStoreConfigOf({})).toEqual({ kind: 'sqlite' });
    expect(loadConfig({ DATA_DIR: 'unused' }).eventStore).toEqual({ kind: 'sqlite' });
  });

  it('is EventStoreDB with EVENT_STORE=eventstoredb, its connection string and a deadline of 5 s by default', () => {
    expect(eventStoreConfigOf({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' })).toEqual({
      kind: 'eventstoredb',
      connectionString: 'esdb://localhost:2113?tls=false',
      deadlineMs: 5000,
    });
    expect(
      eventStoreConfigOf({
        EVENT_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: 'esdb+discover://admin:secret@cluster.example.com:2113',
        EVENTSTORE_DEADLINE_MS: '1500',
      }),
    ).toMatchObject({ deadlineMs: 1500 });
  });

  it.each([
    [{ EVENT_STORE: 'postgres' }, /EVENT_STORE must be "sqlite" or "eventstoredb"; it is "postgres"/],
    [{ EVENT_STORE: 'eventstoredb' }, /needs EVENTSTORE_CONNECTION_STRING, e.g. esdb:\/\/localhost:2113\?tls=false/],
    [{ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'http://localhost:2113' }, /must be an EventStoreDB connection string/],
    [
      { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113', EVENTSTORE_DEADLINE_MS: '10' },
      /EVENTSTORE_DEADLINE_MS must be a whole number from 100 to 600000; it is "10"/,
    ],
  ])('refuses %j, saying which variable and why', (env, message) => {
    expect(() => eventStoreConfigOf(env)).toThrow(ConfigError);
    expect(() => eventStoreConfigOf(env)).toThrow(message);
  });

  it('never repeats a password from the connection string, in errors or descriptions', () => {
    const env = { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://admin:hunter2@db:2113?tls=false' };
    expect(describeEventStore(eventStoreConfigOf(env), '/data')).toBe('EventStoreDB, esdb://db:2113?tls=false');
    const broken = { ...env, EVENTSTORE_CONNECTION_STRING: 'tcp://admin:hunter2@db:1113' };
    let message = '';
    try {
      eventStoreConfigOf(broken);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/EVENTSTORE_CONNECTION_STRING/);
    expect(message).not.toContain('hunter2');
    expect(describeEventStore({ kind: 'sqlite' }, '/data')).toBe('embedded SQLite event store, /data/events.db');
  });
});
