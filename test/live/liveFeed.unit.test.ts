import { LimitExceededError } from '../../src/errors';
import { type CommittedEvent, createLiveFeed, createTopic } from '../../src/live';
import { type AuditFilter, type ChangedClient, type CommittedAuditEntry } from '../../src/readmodel';

/** Resolves with the iterator's next result, or 'pending' when none came within a few turns of the event loop. */
const nextOrPending = async <T>(iterator: AsyncIterator<T>): Promise<IteratorResult<T> | 'pending'> =>
  Promise.race([iterator.next(), new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 20))]);

describe('a topic', () => {
  const overflow = () => new Error('too slow');

  it('hands each subscriber what it accepts, in order, and only from when it subscribed', async () => {
    const topic = createTopic<number>(overflow);
    topic.publish(0);
    const evens = topic.subscribe((n) => n % 2 === 0);
    const all = topic.subscribe(() => true);
    for (const n of [1, 2, 3, 4]) topic.publish(n);
    expect([(await evens.next()).value, (await evens.next()).value]).toEqual([2, 4]);
    expect(await Promise.all([1, 2, 3, 4].map(() => all.next().then((result) => result.value)))).toEqual([1, 2, 3, 4]);
    expect(await nextOrPending(evens)).toBe('pending');
  });

  it('ends a waiting subscriber at once on return(), and forgets it', async () => {
    const topic = createTopic<number>(overflow);
    const iterator = topic.subscribe(() => true);
    const waiting = iterator.next();
    expect(topic.size).toBe(1);
    await iterator.return!();
    await expect(waiting).resolves.toEqual({ done: true, value: undefined });
    expect(topic.size).toBe(0);
    topic.publish(1);
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('ends a subscriber that falls too far behind with the overflow error, keeping the others', async () => {
    const topic = createTopic<number>(overflow, 3);
    const slow = topic.subscribe(() => true);
    const keeping = topic.subscribe(() => true);
    const first = keeping.next();
    for (const n of [1, 2, 3, 4]) topic.publish(n);
    await expect(slow.next()).rejects.toThrow('too slow');
    await expect(slow.next()).resolves.toMatchObject({ done: true });
    expect(topic.size).toBe(1);
    expect(await Promise.all([first, keeping.next(), keeping.next(), keeping.next()])).toEqual([1, 2, 3, 4].map((value) => ({ done: false, value })));
  });

  it('finishes every subscription on close', async () => {
    const topic = createTopic<number>(overflow);
    const iterator = topic.subscribe(() => true);
    const waiting = iterator.next();
    topic.close();
    await expect(waiting).resolves.toMatchObject({ done: true });
    expect(topic.size).toBe(0);
  });
});

const entry = (tenantId: string, id: string, action: string): CommittedAuditEntry => ({
  tenantId,
  entry: { id, action } as CommittedAuditEntry['entry'],
  matches: (filter: AuditFilter) => !filter.actions || filter.actions.includes(action),
});
const client = (tenantId: string, id: string, version: number): ChangedClient => ({ tenantId, id, version }) as ChangedClient;

describe('the live feed', () => {
  const makeFeed = () => {
    const reads = { entries: [] as string[][], clients: [] as string[][] };
    const entries = new Map<string, CommittedAuditEntry>([
      ['e1', entry('tenant-a', 'e1', 'client.created')],
      ['e2', entry('tenant-b', 'e2', 'client.created')],
      ['e3', entry('tenant-a', 'e3', 'client.renamed')],
    ]);
    const clients = new Map([
      ['c1', client('tenant-a', 'c1', 2)],
      ['c2', client('tenant-b', 'c2', 1)],
      ['c3', client('tenant-a', 'c3', 1)],
    ]);
    const feed = createLiveFeed({
      committedAuditEntries: (ids) => {
        reads.entries.push([...ids]);
        return ids.flatMap((id) => entries.get(id) ?? []);
      },
      committedClients: (ids) => {
        reads.clients.push([...ids]);
        return ids.flatMap((id) => clients.get(id) ?? []);
      },
    });
    return { feed, reads };
  };
  const batch: CommittedEvent[] = [
    { eventId: 'e1', clientId: 'c1' },
    { eventId: 'e2', clientId: 'c2' },
    { eventId: 'e3', clientId: 'c1' },
  ];

  it('reads nothing while no one listens', () => {
    const { feed, reads } = makeFeed();
    feed.publish(batch);
    expect(reads).toEqual({ entries: [], clients: [] });
  });

  it("hands a tenant its own entries that match the filter, never another tenant's", async () => {
    const { feed, reads } = makeFeed();
    const everything = feed.auditEntries('tenant-a', {});
    const renames = feed.auditEntries('tenant-a', { actions: ['client.renamed'] });
    const other = feed.auditEntries('tenant-c', {});
    feed.publish(batch);
    expect(reads.entries).toEqual([['e1', 'e2', 'e3']]);
    expect((await everything.next()).value).toMatchObject({ id: 'e1' });
    expect((await everything.next()).value).toMatchObject({ id: 'e3' });
    expect(await nextOrPending(everything)).toBe('pending');
    expect((await renames.next()).value).toMatchObject({ id: 'e3' });
    expect(await nextOrPending(other)).toBe('pending');
  });

  it('hands each changed client once per batch, to its tenant, and for one id only that client', async () => {
    const { feed, reads } = makeFeed();
    const all = feed.clientChanges('tenant-a', null);
    const one = feed.clientChanges('tenant-a', ' C1 ');
    const theirs = feed.clientChanges('tenant-b', 'c1');
    feed.publish(batch);
    feed.publish([{ eventId: 'e4', clientId: 'c3' }]);
    expect(reads.clients).toEqual([['c1', 'c2'], ['c3']]);
    expect((await all.next()).value).toMatchObject({ id: 'c1', version: 2 });
    expect((await all.next()).value).toMatchObject({ id: 'c3' });
    expect(await nextOrPending(all)).toBe('pending');
    expect((await one.next()).value).toMatchObject({ id: 'c1' });
    expect(await nextOrPending(one)).toBe('pending');
    expect(await nextOrPending(theirs)).toBe('pending');
  });

  it('ends subscribers that fall behind with LIMIT_EXCEEDED, and every subscriber on close', async () => {
    const { feed } = makeFeed();
    const slow = feed.auditEntries('tenant-a', {});
    for (let n = 0; n <= 1000; n += 1) feed.publish([{ eventId: 'e1', clientId: 'c1' }]);
    await expect(slow.next()).rejects.toBeInstanceOf(LimitExceededError);
    const waiting = feed.clientChanges('tenant-a', null);
    const next = waiting.next();
    feed.close();
    await expect(next).resolves.toMatchObject({ done: true });
  });
});
