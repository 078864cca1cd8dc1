import { randomUUID } from 'node:crypto';
import { type AddressInfo, type Socket, createServer } from 'node:net';
import {
  type EventStore,
  type RecordedEvent,
  StoreUnavailableError,
  comparePositions,
  positionFromToken,
  positionToToken,
} from '../../src/eventstore';
import { EventStoreDBClient, binaryEvent } from '@eventstore/db-client';
import { InternalError } from '../../src/errors';
import { getEventStoreDBEventStore } from '../../src/eventstore/eventstoredb';
import { type EventStoreStandin, startEventStoreStandin } from './standin/standinServer';
import { describeEventStoreContract } from '../eventstore/contract/eventStoreContract';
import { probe } from '../eventstore/contract/subscriptionProbe';

/** Set by `npm run test:esdb`: run the contract against that real server instead of the stand-in. */
const realServer = process.env.TEST_EVENT_STORE === 'eventstoredb' ? process.env.EVENTSTORE_CONNECTION_STRING : undefined;

jest.setTimeout(60_000);

const events = (count: number, tag: string) =>
  Array.from({ length: count }, (_, index) => ({ type: 'Happened', data: { tag, index } }));

if (realServer) {
  describeEventStoreContract('EventStoreDB (real server)', () => {
    const store = getEventStoreDBEventStore({ connectionString: realServer });
    return Promise.resolve({ store, teardown: () => store.close() });
  });
} else {
  describe.each([
    ['BatchAppend, as a 21.10+ server offers', true],
    ['Append, as an older server or one without server features', false],
  ])('through the protocol stand-in, appending with %s', (_label, serverFeatures) => {
    // One stand-in per path, shared as a real server is: the contract uses names unique to each test.
    let standin: EventStoreStandin;
    beforeAll(async () => {
      standin = await startEventStoreStandin({ port: 0, serverFeatures });
    });
    afterAll(() => standin.close());

    describeEventStoreContract(`EventStoreDB adapter (${serverFeatures ? 'batch append' : 'append'})`, () => {
      const store = getEventStoreDBEventStore({ connectionString: standin.connectionString });
      return Promise.resolve({ store, teardown: () => store.close() });
    });
  });

  describe('EventStoreDB adapter, beyond the contract', () => {
    let standin: EventStoreStandin | undefined;
    let store: EventStore | undefined;
    afterEach(async () => {
      await store?.close();
      await standin?.close();
      store = undefined;
      standin = undefined;
    });

    it('keeps 64-bit positions exact beyond 2^53, through appends, reads, subscriptions and tokens', async () => {
      const far = 2n ** 62n + 12_345n;
      standin = await startEventStoreStandin({ port: 0, firstLogPosition: far });
      store = getEventStoreDBEventStore({ connectionString: standin.connectionString });
      const first = await store.appendToStream('far-a', events(2, 'first'));
      const second = await store.appendToStream('far-b', events(1, 'second'));
      expect(first.position.commit).toBeGreaterThanOrEqual(far);
      expect(second.position.commit).toBeGreaterThan(first.position.commit);

      const read = (await store.readStream('far-a')).events;
      expect(read.map((e) => e.position.commit >= far)).toEqual([true, true]);
      expect(positionFromToken(positionToToken(read[1].position))).toEqual(read[1].position);
      // Neighbouring positions that a double would merge stay apart.
      expect(Number(read[1].position.commit)).toBe(Number(read[1].position.commit + 1n));
      expect(read[1].position.commit + 1n).not.toBe(read[1].position.commit);

      const resumed = probe(store.subscribeToAll({ fromPosition: read[1].position, filter: { streamNamePrefixes: ['far-'] } }));
      const rest = await resumed.untilCaughtUp();
      await resumed.unsubscribe();
      expect(rest.map((e) => e.data.tag)).toEqual(['second']);
      expect(rest[0].position).toEqual((await store.readStream('far-b')).events[0].position);
    });

    it('gives caughtUp and checkpoints in their place even when the consumer lags behind a small buffer', async () => {
      standin = await startEventStoreStandin({ port: 0 });
      store = getEventStoreDBEventStore({ connectionString: standin.connectionString, subscriptionHighWaterMark: 3 });
      for (let i = 0; i < 20; i++) {
        await store.appendToStream(`mine-${i % 3}`, events(5, `mine-${i}`));
        await store.appendToStream(`other-${i}`, events(40, 'other'));
      }
      const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: ['mine-'] } });
      const seen: string[] = [];
      const delivered: RecordedEvent[] = [];
      let lastPosition = 0n;
      for await (const message of subscription) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        const position = message.type === 'event' ? message.event.position : message.position;
        if (position) {
          // Everything arrives in global order, checkpoints included.
          expect(position.commit).toBeGreaterThanOrEqual(lastPosition);
          lastPosition = position.commit;
        }
        seen.push(message.type);
        if (message.type === 'event') delivered.push(message.event);
        if (message.type === 'caughtUp') {
          // Where it stands: at or after the last event (the server's last checkpoint may be later).
          expect(comparePositions(message.position!, delivered.at(-1)!.position)).toBeGreaterThanOrEqual(0);
          break;
        }
      }
      expect(delivered).toHaveLength(100);
      expect(delivered.map((e) => e.data.tag)).toEqual(Array.from({ length: 20 }, (_, i) => Array(5).fill(`mine-${i}`)).flat());
      expect(seen.filter((type) => type === 'caughtUp')).toHaveLength(1);
      expect(seen.at(-1)).toBe('caughtUp');
      expect(seen).toContain('checkpoint');
    });

    it('fails commands fast with StoreUnavailableError while the server is gone, and works again when it is back', async () => {
      standin = await startEventStoreStandin({ port: 0 });
      store = getEventStoreDBEventStore({ connectionString: standin.connectionString, deadlineMs: 2000 });
      await store.appendToStream('kept', events(2, 'before'));
      const subscription = probe(store.subscribeToAll({ filter: { streamNamePrefixes: ['kept'] } }));
      const history = await subscription.untilCaughtUp();

      await standin.stop();
      const started = Date.now();
      const append = await store.appendToStream('kept', events(1, 'during')).catch((error: unknown) => error);
      const read = await store.readStream('kept').catch((error: unknown) => error);
      expect(Date.now() - started).toBeLessThan(4000);
      for (const error of [append, read]) {
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', message: expect.stringMatching(/EventStoreDB.*unavailable|did not answer/) });
      }
      expect((append as Error).message).toMatch(/may or may not have been recorded/);
      // The open subscription ends with the same error, after what it had delivered.
      await expect(subscription.next(5000)).rejects.toBeInstanceOf(StoreUnavailableError);

      await standin.restart();
      let appended = false;
      for (let attempt = 0; attempt < 50 && !appended; attempt++) {
        appended = await store.appendToStream('kept', events(1, 'after')).then(
          () => true,
          () => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 100)),
        );
      }
      expect(appended).toBe(true);
      const resumed = probe(store.subscribeToAll({ fromPosition: history.at(-1)!.position, filter: { streamNamePrefixes: ['kept'] } }));
      expect((await resumed.untilCaughtUp()).map((e) => e.data.tag)).toEqual(['after']);
      await resumed.unsubscribe();
    });

    it('stops at an event it cannot read, after the events before it, and never steps over it', async () => {
      standin = await startEventStoreStandin({ port: 0 });
      store = getEventStoreDBEventStore({ connectionString: standin.connectionString });
      await store.appendToStream('bad-1', events(3, 'before'));
      // Written by another program: not JSON.
      const raw = EventStoreDBClient.connectionString(standin.connectionString);
      await raw.appendToStream('bad-2', binaryEvent({ type: 'Opaque', data: Uint8Array.from([0xff, 0x00, 0x01]) }));
      await raw.dispose();
      await store.appendToStream('bad-3', events(100, 'after'));

      const subscription = probe(store.subscribeToAll({ filter: { streamNamePrefixes: ['bad-'] } }));
      // A consumer that lags: everything has arrived before it asks.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const seen: string[] = [];
      let failure: unknown;
      try {
        for (;;) {
          const message = await subscription.next();
          if (message === 'done') break;
          seen.push(message.type === 'event' ? (message.event.data.tag as string) : message.type);
        }
      } catch (error) {
        failure = error;
      }
      expect(seen).toEqual(['before', 'before', 'before']);
      expect(failure).toBeInstanceOf(InternalError);
      expect((failure as Error).message).toMatch(/not a JSON object/);
    });

    it('answers as unavailable when no node of a cluster can be reached', async () => {
      store = getEventStoreDBEventStore({
        connectionString: 'esdb://127.0.0.1:1,127.0.0.1:9?tls=false&maxDiscoverAttempts=1&discoveryInterval=10&gossipTimeout=500',
      });
      await expect(store.readStream('any')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.appendToStream('any', events(1, 'x'))).rejects.toBeInstanceOf(StoreUnavailableError);
      const subscription = probe(store.subscribeToAll({ filter: { streamNamePrefixes: ['any'] } }));
      await expect(subscription.next(5000)).rejects.toBeInstanceOf(StoreUnavailableError);
    });

    it('keeps subscriptions running when a command times out and its connection is replaced', async () => {
      standin = await startEventStoreStandin({ port: 0 });
      // 1 ms: less than any answer over a fresh connection (it first asks for the server's features).
      store = getEventStoreDBEventStore({ connectionString: standin.connectionString, deadlineMs: 1 });
      const subscription = probe(store.subscribeToAll({ filter: { streamNamePrefixes: ['slow-'] } }));
      await subscription.untilCaughtUp();
      for (let i = 0; i < 3; i++) {
        await expect(store.appendToStream('slow-a', events(1, `try-${i}`))).rejects.toThrow(/did not answer within 1 ms/);
      }
      // Another writer appends; the subscription, untouched by the replaced connections, delivers it.
      const writer = getEventStoreDBEventStore({ connectionString: standin.connectionString });
      const written = await writer.appendToStream('slow-b', events(2, 'written'));
      await writer.close();
      const delivered = await subscription.events(2, 5000);
      expect(delivered.at(-1)!.position).toEqual(written.position);
      await subscription.unsubscribe();
    });

    it('answers within its deadline, as unavailable, when the server accepts the connection but never replies', async () => {
      const sockets = new Set<Socket>();
      const silent = createServer((socket) => {
        sockets.add(socket);
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as AddressInfo;
      store = getEventStoreDBEventStore({ connectionString: `esdb://127.0.0.1:${port}?tls=false`, deadlineMs: 500 });
      try {
        const started = Date.now();
        const error: unknown = await store.appendToStream(`s-${randomUUID()}`, events(1, 'x')).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(Date.now() - started).toBeLessThan(3000);
        const readError: unknown = await store.readStream('s').catch((e: unknown) => e);
        expect(readError).toBeInstanceOf(StoreUnavailableError);
      } finally {
        await store.close();
        for (const socket of sockets) socket.destroy();
        silent.close();
      }
    });
  });
}
