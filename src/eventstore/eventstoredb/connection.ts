import { EventStoreDBClient } from '@eventstore/db-client';
import { StoreUnavailableError } from '../errors';
import { type StoreOperation } from './translateError';

/** The client of `@eventstore/db-client`, connected by connection string. */
export type Client = ReturnType<typeof EventStoreDBClient.connectionString>;

/**
 * Ends a client's calls and closes its connection. The client's `dispose` cancels its calls but
 * leaves the gRPC channel open (until the channel's idle timeout); its `getChannel` is protected,
 * so it is reached through this one narrow view. A client that never connected has nothing to close.
 */
const shutDown = async (client: Client, everConnected: boolean): Promise<void> => {
  await client.dispose();
  if (!everConnected) return;
  const channel = await (client as unknown as { getChannel(): Promise<{ close(): void }> }).getChannel().catch(() => null);
  channel?.close();
};

/** A connection to the server that makes calls, each bounded by a deadline on our side. */
export interface Connection {
  /** Runs `call` with the current client, failing it with StoreUnavailableError once the deadline passes. */
  call<T>(operation: StoreOperation, call: (client: Client) => Promise<T>): Promise<T>;
  /** The client for long-lived calls (subscriptions), which no deadline ends. */
  lasting(): Client;
  close(): Promise<void>;
}

/**
 * Opens a connection lazily (a client connects at its first call). A call that runs out of time
 * leaves a client that may be stuck behind a request the server never answers (the client gives
 * its server-features request and batch appends no deadline of its own), so the next call gets
 * a fresh client while the old one is shut down.
 */
export const openConnection = (connectionString: string, deadlineMs: number): Connection => {
  const connect = () => EventStoreDBClient.connectionString(connectionString);
  let client = connect();
  // Clients that made a call, so have a channel to close; asking one that did not would connect it.
  const used = new WeakSet<Client>();
  const retired = new Set<Promise<void>>();
  let closed = false;

  const replace = (current: Client) => {
    if (client !== current || closed) return;
    client = connect();
    const disposing = shutDown(current, true).catch(() => undefined);
    retired.add(disposing);
    void disposing.then(() => retired.delete(disposing));
  };

  return {
    call<T>(operation: StoreOperation, call: (current: Client) => Promise<T>): Promise<T> {
      const current = client;
      used.add(current);
      const work = call(current);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          replace(current);
          work.catch(() => undefined);
          const doing = operation === 'append' ? 'appending events; the events may or may not have been recorded' : 'reading a stream';
          reject(
            new StoreUnavailableError(`The event store (EventStoreDB) did not answer within ${deadlineMs} ms while ${doing}`, {
              store: 'eventstoredb',
            }),
          );
        }, deadlineMs);
      });
      return Promise.race([work, timedOut]).finally(() => clearTimeout(timer));
    },
    lasting() {
      used.add(client);
      return client;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([shutDown(client, used.has(client)), ...retired]);
    },
  };
};
