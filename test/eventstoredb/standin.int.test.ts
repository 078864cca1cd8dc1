import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  type EventType,
  FORWARDS,
  jsonEvent,
  type JSONEventType,
  MaxAppendSizeExceededError,
  type Position,
  type ResolvedEvent,
  START,
  StreamNotFoundError,
  type StreamSubscription,
  streamNameFilter,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  eventTypeFilter,
} from '@eventstore/db-client';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { type EventStoreStandin, type EventStoreStandinOptions, startEventStoreStandin } from './standin/standinServer';

jest.setTimeout(30_000);

/** PrepareLogRecord.SizeOnDisk for a JSON event without metadata: 88 fixed bytes, two 7-bit-prefixed strings, the data. */
const recordSize = (streamId: string, type: string, data: unknown): bigint => {
  const prefixed = (text: string): number => {
    const length = Buffer.byteLength(text);
    return length + (length < 128 ? 1 : length < 16_384 ? 2 : 3);
  };
  return BigInt(88 + prefixed(streamId) + prefixed(type) + Buffer.byteLength(JSON.stringify(data)));
};

const event = (type: string, data: Record<string, unknown> = {}, id?: string) => jsonEvent({ type, data, ...(id ? { id } : {}) });

const standins: EventStoreStandin[] = [];
const clients: EventStoreDBClient[] = [];
const start = async (options: EventStoreStandinOptions = {}) => {
  const standin = await startEventStoreStandin({ port: 0, ...options });
  standins.push(standin);
  const client = EventStoreDBClient.connectionString(standin.connectionString);
  clients.push(client);
  return { standin, client };
};
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  await Promise.all(standins.splice(0).map((standin) => standin.close()));
});

const readAll = async (client: EventStoreDBClient, options: Parameters<EventStoreDBClient['readAll']>[0] = {}) => {
  const events: ResolvedEvent[] = [];
  for await (const resolved of client.readAll(options)) events.push(resolved);
  return events.map((resolved) => resolved.event!);
};

const failure = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};

type Mark =
  | { kind: 'confirmation' | 'caughtUp'; before: number }
  | { kind: 'checkpoint'; position: Position; before: number }
  | { kind: 'event'; streamId: string; position: Position };

/**
 * Records a subscription in the order the client transformed the server's messages. The client announces
 * confirmation, caughtUp and checkpoints while transforming, when earlier events may still wait in its readable
 * buffer: `before` counts the events transformed by then (delivered plus buffered).
 */
const record = (client: EventStoreDBClient, options: Parameters<EventStoreDBClient['subscribeToAll']>[0]) => {
  const marks: Mark[] = [];
  const errors: unknown[] = [];
  let delivered = 0;
  const transformed = (): number => delivered + subscription.readableLength;
  const filter = options?.filter
    ? { ...options.filter, checkpointReached: (_: unknown, position: Position) => void marks.push({ kind: 'checkpoint', position, before: transformed() }) }
    : undefined;
  const subscription = client.subscribeToAll({ ...options, ...(filter ? { filter } : {}) });
  subscription.on('confirmation', () => marks.push({ kind: 'confirmation', before: transformed() }));
  subscription.on('caughtUp', () => marks.push({ kind: 'caughtUp', before: transformed() }));
  subscription.on('data', (resolved: ResolvedEvent) => {
    delivered += 1;
    marks.push({ kind: 'event', streamId: resolved.event!.streamId, position: resolved.event!.position! });
  });
  subscription.on('error', (error) => errors.push(error));
  const events = () => marks.filter((mark) => mark.kind === 'event');
  const until = async (done: () => boolean, what: string) => {
    const deadline = Date.now() + 5000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`subscription: no ${what} within 5 s; saw ${JSON.stringify(marks, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return { subscription, marks, errors, events, until };
};

describe.each([
  ['BatchAppend (server features advertised)', true],
  ['Append (no server features, as an old server)', false],
])('EventStoreDB stand-in appending through %s', (_label, serverFeatures) => {
  it('is used by the client on this path', async () => {
    const { client } = await start({ serverFeatures });
    const supports = (client as unknown as { supports: (method: unknown) => Promise<boolean> }).supports;
    await expect(supports(StreamsService.batchAppend)).resolves.toBe(serverFeatures);
  });

  it('answers the revision and the position of the last event written, which is where $all has it', async () => {
    const { client } = await start({ serverFeatures });
    const first = await client.appendToStream('order-1', [event('Placed', { n: 1 }), event('Paid', { n: 2 })], { expectedRevision: 'no_stream' });
    const size = recordSize('order-1', 'Placed', { n: 1 });
    expect(first).toEqual({ success: true, nextExpectedRevision: 1n, position: { commit: size, prepare: size } });

    const second = await client.appendToStream('order-2', event('Placed', { n: 3 }), { expectedRevision: 'any' });
    const third = size + recordSize('order-1', 'Paid', { n: 2 });
    expect(second).toEqual({ success: true, nextExpectedRevision: 0n, position: { commit: third, prepare: third } });

    const all = await readAll(client);
    expect(all.map((recorded) => [recorded.streamId, recorded.revision, recorded.position])).toEqual([
      ['order-1', 0n, { commit: 0n, prepare: 0n }],
      ['order-1', 1n, first.position],
      ['order-2', 0n, second.position],
    ]);
    expect(all[1]).toMatchObject({ type: 'Paid', data: { n: 2 }, isJson: true });
  });

  it('raises WrongExpectedVersion with the expected and current revisions the server reports', async () => {
    const { client } = await start({ serverFeatures });
    await client.appendToStream('cart-1', [event('A'), event('B')]);
    const cases: [string, Parameters<EventStoreDBClient['appendToStream']>[2], unknown, unknown][] = [
      ['cart-1', { expectedRevision: 'no_stream' }, 'no_stream', 1n],
      ['cart-2', { expectedRevision: 'stream_exists' }, 'stream_exists', 'no_stream'],
      ['cart-1', { expectedRevision: 0n }, 0n, 1n],
      ['cart-1', { expectedRevision: 7n }, 7n, 1n],
      ['cart-2', { expectedRevision: 0n }, 0n, 'no_stream'],
    ];
    for (const [stream, options, expected, actual] of cases) {
      const error = await failure(client.appendToStream(stream, event('C'), options));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamName: stream, expectedVersion: expected, actualVersion: actual });
    }
    const written = await readAll(client);
    expect(written).toHaveLength(2);
  });

  it('answers a retry with the same event ids the original result, and a partial retry WrongExpectedVersion', async () => {
    const { client } = await start({ serverFeatures });
    const ids = [randomUUID(), randomUUID()];
    const batch = () => ids.map((id, n) => event('Added', { n }, id));
    const original = await client.appendToStream('basket-1', batch(), { expectedRevision: 'no_stream' });
    await client.appendToStream('basket-1', event('Later'));
    await expect(client.appendToStream('basket-1', batch(), { expectedRevision: 'no_stream' })).resolves.toEqual(original);
    await expect(client.appendToStream('basket-1', batch(), { expectedRevision: 'any' })).resolves.toEqual(original);

    const partial = await failure(client.appendToStream('basket-1', [event('Added', {}, ids[0]), event('New')], { expectedRevision: 'any' }));
    expect(partial).toMatchObject({ expectedVersion: 'any', actualVersion: 2n });
    expect(partial).toBeInstanceOf(WrongExpectedVersionError);
    const stream = [];
    for await (const resolved of client.readStream('basket-1')) stream.push(resolved.event!.type);
    expect(stream).toEqual(['Added', 'Added', 'Later']);
  });

  it('refuses an append over the 1 MiB maximum append size and writes none of it', async () => {
    const { client } = await start({ serverFeatures });
    const large = () => event('Large', { padding: 'x'.repeat(600_000) });
    const error = await failure(client.appendToStream('big-1', [large(), large()]));
    expect(error).toBeInstanceOf(MaxAppendSizeExceededError);
    expect(error).toMatchObject({ maxAppendSize: 1024 * 1024 });
    expect(await readAll(client)).toEqual([]);
  });

  it('refuses an invalid stream name or event id with the error the server gives on this path, writing nothing', async () => {
    const { client } = await start({ serverFeatures });
    for (const [stream, id] of [['$$', undefined], ['ok-1', 'not-a-uuid']]) {
      const error = await failure(client.appendToStream(stream!, event('A', {}, id)));
      expect(error).toBeInstanceOf(UnknownError);
      expect((error as Error).message).toMatch(serverFeatures ? /Could not recognize BadRequest/ : /2 UNKNOWN: Exception was thrown by handler/);
    }
    expect(await readAll(client)).toEqual([]);
  });
});

describe('EventStoreDB stand-in reads', () => {
  it('answers StreamNotFound for a stream without events', async () => {
    const { client } = await start();
    const error = await failure((async () => {
      for await (const _ of client.readStream('missing-1')) void _;
    })());
    expect(error).toBeInstanceOf(StreamNotFoundError);
    expect(error).toMatchObject({ streamName: 'missing-1' });
  });

  it('reads a stream forwards and backwards from a revision', async () => {
    const { client } = await start();
    await client.appendToStream('s-1', [event('A'), event('B'), event('C'), event('D')]);
    const types = async (options: Parameters<EventStoreDBClient['readStream']>[1]) => {
      const found: string[] = [];
      for await (const resolved of client.readStream('s-1', options)) found.push(resolved.event!.type);
      return found;
    };
    await expect(types({ fromRevision: 1n, maxCount: 2 })).resolves.toEqual(['B', 'C']);
    await expect(types({ direction: BACKWARDS, fromRevision: END })).resolves.toEqual(['D', 'C', 'B', 'A']);
    await expect(types({ direction: BACKWARDS, fromRevision: 2n, maxCount: 2 })).resolves.toEqual(['C', 'B']);
  });

  it('reads $all forwards from a position inclusive and backwards from it exclusive', async () => {
    const { client } = await start();
    for (const n of [1, 2, 3, 4]) await client.appendToStream(`item-${n}`, event('Made', { n }));
    const all = await readAll(client);
    const names = (events: { streamId: string }[]) => events.map((recorded) => recorded.streamId);
    expect(names(all)).toEqual(['item-1', 'item-2', 'item-3', 'item-4']);
    expect(names(await readAll(client, { fromPosition: all[1].position, maxCount: 2 }))).toEqual(['item-2', 'item-3']);
    expect(names(await readAll(client, { direction: BACKWARDS, fromPosition: END }))).toEqual(['item-4', 'item-3', 'item-2', 'item-1']);
    expect(names(await readAll(client, { direction: BACKWARDS, fromPosition: all[2].position }))).toEqual(['item-2', 'item-1']);
    expect(await readAll(client, { direction: FORWARDS, fromPosition: END })).toEqual([]);
  });
});

describe('EventStoreDB stand-in subscriptions to $all', () => {
  it('confirms, catches up with checkpoints over filtered-out stretches, says caughtUp, then goes live', async () => {
    const { client } = await start();
    for (let n = 0; n < 40; n += 1) await client.appendToStream(`noise-${n}`, event('Noise'));
    await client.appendToStream('acc-1', event('Opened'));
    for (let n = 0; n < 10; n += 1) await client.appendToStream(`noise-b${n}`, event('Noise'));
    const [accOne] = (await readAll(client)).filter((recorded) => recorded.streamId === 'acc-1');

    const sub = record(client, { fromPosition: START, filter: streamNameFilter({ prefixes: ['acc-'] }) });
    await sub.until(() => sub.marks.some((mark) => mark.kind === 'caughtUp'), 'caughtUp');
    // Page 1 considers 32 events (maxSearchWindow 32 x multiplier 1) and finds none: a checkpoint at the page's start.
    // Page 2 finds acc-1 and reaches the interval again; the one at the end of catch-up repeats it and is dropped.
    expect(sub.marks.filter((mark) => mark.kind !== 'event')).toEqual([
      { kind: 'confirmation', before: 0 },
      { kind: 'checkpoint', position: { commit: 0n, prepare: 0n }, before: 0 },
      { kind: 'checkpoint', position: accOne.position, before: 1 },
      { kind: 'caughtUp', before: 1 },
    ]);
    expect(sub.events().map((mark) => mark.kind === 'event' && mark.streamId)).toEqual(['acc-1']);

    await client.appendToStream('acc-2', event('Opened'));
    for (let n = 0; n < 31; n += 1) await client.appendToStream(`noise-c${n}`, event('Noise'));
    const lastNoise = (await readAll(client, { direction: BACKWARDS, fromPosition: END, maxCount: 1 }))[0];
    await sub.until(() => sub.marks.filter((mark) => mark.kind === 'checkpoint').length === 3, 'live checkpoint');
    // Live, every 32nd committed event (acc-2 and 31 filtered-out ones) brings a checkpoint at its position.
    expect(sub.events().map((mark) => mark.kind === 'event' && mark.streamId)).toEqual(['acc-1', 'acc-2']);
    expect(sub.marks.at(-1)).toEqual({ kind: 'checkpoint', position: lastNoise.position, before: 2 });
    expect(sub.errors).toEqual([]);
    await sub.subscription.unsubscribe();
  });

  it('filters on event type by regex and resumes after the given position, exclusive', async () => {
    const { client } = await start();
    for (const type of ['Created', 'Renamed', 'Created', 'Deleted', 'Created']) await client.appendToStream(`c-${randomUUID()}`, event(type));
    const all = await readAll(client);

    const sub = record(client, { fromPosition: all[2].position, filter: eventTypeFilter({ regex: '^(Created|Deleted)$' }) });
    await sub.until(() => sub.marks.some((mark) => mark.kind === 'caughtUp'), 'caughtUp');
    expect(sub.events().map((mark) => mark.kind === 'event' && mark.position)).toEqual([all[3].position, all[4].position]);
    await sub.subscription.unsubscribe();

    const unfiltered = record(client, { fromPosition: all[3].position });
    await unfiltered.until(() => unfiltered.marks.some((mark) => mark.kind === 'caughtUp'), 'caughtUp');
    expect(unfiltered.events().map((mark) => mark.kind === 'event' && mark.position)).toEqual([all[4].position]);
    await client.appendToStream('c-live', event('Created'));
    await unfiltered.until(() => unfiltered.events().length === 2, 'live event');
    await unfiltered.subscription.unsubscribe();
  });

  it('from END says caughtUp at once and delivers only what is appended afterwards', async () => {
    const { client } = await start();
    await client.appendToStream('before-1', event('A'));
    const sub = record(client, { fromPosition: END });
    await sub.until(() => sub.marks.some((mark) => mark.kind === 'caughtUp'), 'caughtUp');
    await client.appendToStream('after-1', event('A'));
    await sub.until(() => sub.events().length === 1, 'live event');
    expect(sub.events()).toEqual([expect.objectContaining({ streamId: 'after-1' })]);
    await sub.subscription.unsubscribe();
  });

  it('sends the 24.x going-live checkpoint (2^64-1) when nothing was sent yet, or a real one with kdb710Fixed', async () => {
    for (const kdb710Fixed of [false, true]) {
      const { client } = await start({ kdb710Fixed });
      await client.appendToStream('other-1', event('A'));
      const sub = record(client, { fromPosition: START, filter: streamNameFilter({ prefixes: ['none-'] }) });
      await sub.until(() => sub.marks.some((mark) => mark.kind === 'caughtUp'), 'caughtUp');
      const end = 2n ** 64n - 1n;
      expect(sub.marks).toEqual([
        { kind: 'confirmation', before: 0 },
        { kind: 'checkpoint', position: kdb710Fixed ? { commit: 0n, prepare: 0n } : { commit: end, prepare: end }, before: 0 },
        { kind: 'caughtUp', before: 0 },
      ]);
      await sub.subscription.unsubscribe();
    }
  });

  it('subscribes to a stream after an exclusive revision', async () => {
    const { client } = await start();
    await client.appendToStream('one-1', [event('A'), event('B'), event('C')]);
    const seen: string[] = [];
    const subscription: StreamSubscription<EventType | JSONEventType> = client.subscribeToStream('one-1', { fromRevision: 0n });
    subscription.on('data', (resolved: ResolvedEvent) => seen.push(resolved.event!.type));
    subscription.on('caughtUp', () => seen.push('caughtUp'));
    await client.appendToStream('one-2', event('X'));
    await client.appendToStream('one-1', event('D'));
    const deadline = Date.now() + 5000;
    while (seen.length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual(['B', 'C', 'caughtUp', 'D']);
    await subscription.unsubscribe();
  });
});

describe('EventStoreDB stand-in going away', () => {
  it.each([true, false])('ends open subscriptions and fails appends with UNAVAILABLE at once, and keeps the log over a restart (server features: %s)', async (serverFeatures) => {
    const { standin, client } = await start({ serverFeatures });
    await client.appendToStream('kept-1', [event('A'), event('B')]);
    const sub = record(client, { fromPosition: START });
    await sub.until(() => sub.marks.some((mark) => mark.kind === 'caughtUp'), 'caughtUp');

    await standin.stop();
    await sub.until(() => sub.errors.length > 0, 'error');
    expect(sub.errors[0]).toBeInstanceOf(UnavailableError);

    const started = Date.now();
    const error = await failure(client.appendToStream('kept-1', event('C')));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toMatchObject({ code: status.UNAVAILABLE });
    const readError = await failure(readAll(client));
    expect(readError).toMatchObject({ code: status.UNAVAILABLE });

    await standin.restart();
    const afterRestart = await client.appendToStream('kept-1', event('C'), { expectedRevision: 1n });
    const all = await readAll(client);
    expect(all.map((recorded) => recorded.type)).toEqual(['A', 'B', 'C']);
    expect(afterRestart.position).toEqual(all[2].position);
  });

  it('ends with UNAVAILABLE a subscription whose consumer lags, so the server is blocked writing to it', async () => {
    const { standin, client } = await start();
    const padding = 'x'.repeat(2000);
    for (let batch = 0; batch < 5; batch += 1) {
      await client.appendToStream(`bulk-${batch}`, Array.from({ length: 400 }, (_, n) => event('Bulk', { n, padding })));
    }
    const subscription = client.subscribeToAll({ fromPosition: START });
    const errors: unknown[] = [];
    subscription.on('error', (error) => errors.push(error));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(subscription.readableLength).toBeGreaterThan(0);

    await standin.stop();
    let received = 0;
    subscription.on('data', () => (received += 1));
    const deadline = Date.now() + 5000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(errors[0]).toBeInstanceOf(UnavailableError);
    expect(received).toBeLessThan(2000);
  });
});

describe('EventStoreDB stand-in positions', () => {
  it('keeps every bit of 64-bit positions beyond 2^53 in appends, reads, subscriptions and checkpoints', async () => {
    const first = 2n ** 53n + 1n;
    const { client } = await start({ firstLogPosition: first });
    const appended = await client.appendToStream('far-1', [event('A', { n: 1 }), event('B', { n: 2 })]);
    const second = first + recordSize('far-1', 'A', { n: 1 });
    expect(appended.position).toEqual({ commit: second, prepare: second });
    const all = await readAll(client);
    expect(all.map((recorded) => recorded.position!.commit)).toEqual([first, second]);

    const sub = record(client, { fromPosition: START, filter: streamNameFilter({ prefixes: ['far-'] }) });
    await sub.until(() => sub.marks.some((mark) => mark.kind === 'caughtUp'), 'caughtUp');
    expect(sub.events().map((mark) => mark.kind === 'event' && mark.position.commit)).toEqual([first, second]);
    expect(sub.marks.filter((mark) => mark.kind === 'checkpoint')).toEqual([{ kind: 'checkpoint', position: { commit: second, prepare: second }, before: 2 }]);
    await sub.subscription.unsubscribe();
  });
});
