import { LimitExceededError } from '../errors';
import { type AuditEntryView, type AuditFilter, type ChangedClient, type CommittedAuditEntry, type ReadModel } from '../readmodel';
import { DEFAULT_MAX_BUFFERED, type Topic, createTopic } from './topic';

/** One event the projections committed: which recorded event, and the client it changed. */
export interface CommittedEvent {
  eventId: string;
  clientId: string;
}

/**
 * What the read model committed, as it happens, each tenant's to that tenant alone: audit entries
 * (filtered like the audit trail) and clients as they are after a change.
 */
export interface LiveFeed {
  /** Publishes a batch the projections just committed; reads the read model only for what someone listens to. */
  publish(events: readonly CommittedEvent[]): void;
  /** The tenant's audit entries committed from now on that `filter` matches, in the order recorded. */
  auditEntries(tenantId: string, filter: AuditFilter): AsyncIterableIterator<AuditEntryView>;
  /** The tenant's clients (or the one with `clientId`) as each committed batch leaves them, once per client and batch. */
  clientChanges(tenantId: string, clientId: string | null): AsyncIterableIterator<ChangedClient>;
  /** Ends every subscription: the service is stopping. */
  close(): void;
}

const fellBehind = () =>
  new LimitExceededError(`The subscriber fell more than ${DEFAULT_MAX_BUFFERED} changes behind; subscribe again`, {
    limit: 'subscriptionBuffer',
    max: DEFAULT_MAX_BUFFERED,
  });

/** The live feed over the read model's committed changes. */
export const createLiveFeed = (readModel: Pick<ReadModel, 'committedAuditEntries' | 'committedClients'>): LiveFeed => {
  const entries: Topic<CommittedAuditEntry> = createTopic(fellBehind);
  const clients: Topic<ChangedClient> = createTopic(fellBehind);
  return {
    publish(events) {
      if (events.length === 0) return;
      if (entries.size > 0) {
        for (const entry of readModel.committedAuditEntries(events.map((event) => event.eventId))) entries.publish(entry);
      }
      if (clients.size > 0) {
        const changed = new Map(readModel.committedClients([...new Set(events.map((event) => event.clientId))]).map((client) => [client.id, client]));
        // In the order the batch first changed them.
        for (const id of new Set(events.map((event) => event.clientId))) {
          const client = changed.get(id);
          if (client) clients.publish(client);
        }
      }
    },
    auditEntries(tenantId, filter) {
      const iterator = entries.subscribe((committed) => committed.tenantId === tenantId && committed.matches(filter));
      return mapIterator(iterator, (committed) => committed.entry);
    },
    clientChanges(tenantId, clientId) {
      const id = clientId?.trim().toLowerCase() ?? null;
      return clients.subscribe((client) => client.tenantId === tenantId && (id === null || client.id === id));
    },
    close() {
      entries.close();
      clients.close();
    },
  };
};

/** `source` with each value mapped; `return()` reaches the source at once. */
const mapIterator = <T, U>(source: AsyncIterableIterator<T>, map: (value: T) => U): AsyncIterableIterator<U> => ({
  async next() {
    const result = await source.next();
    return result.done ? { done: true, value: undefined } : { done: false, value: map(result.value) };
  },
  async return() {
    await source.return?.();
    return { done: true, value: undefined };
  },
  [Symbol.asyncIterator]() {
    return this;
  },
});
