import { performance } from 'node:perf_hooks';
import { type Client, type FormattedExecutionResult, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { type TestApp } from './testApp';

/** How a connection ended, as the client saw it. */
export interface Closed {
  code: number;
  reason: string;
  /** performance.now() when it closed. */
  at: number;
}

/** A graphql-ws client of a test app (the real `graphql-ws` client over `ws`), and how its connection ended. */
export interface LiveClient {
  client: Client;
  /** Resolves once the connection is closed (by the server, or by `dispose`). */
  closed: Promise<Closed>;
  /** Resolves once the server acknowledged the connection. */
  connected: Promise<void>;
  dispose(): Promise<void>;
}

/** The app's subscription endpoint: ws:// on the same host and path as POST /graphql. */
export const subscriptionUrl = (test: TestApp): string => `${test.url.replace(/^http/, 'ws')}/graphql`;

/** Connects to the app with `params` as the connection parameters (by default none), never retrying. */
export const connectLive = (test: TestApp, params?: Record<string, unknown>): LiveClient => {
  let onClosed: (closed: Closed) => void = () => undefined;
  let onConnected: () => void = () => undefined;
  const closed = new Promise<Closed>((resolve) => (onClosed = resolve));
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const client = createClient({
    url: subscriptionUrl(test),
    webSocketImpl: WebSocket,
    connectionParams: params,
    lazy: false,
    retryAttempts: 0,
    // Refusals close the socket; nothing here should reconnect on its own.
    shouldRetry: () => false,
    onNonLazyError: () => undefined,
    on: {
      connected: () => onConnected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        onClosed({ code, reason: String(reason), at: performance.now() });
      },
    },
  });
  return {
    client,
    closed,
    connected,
    async dispose() {
      await client.dispose();
    },
  };
};

/** A token's connection parameters, as DESIGN.md fixes them. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** One result a subscription delivered, with when it arrived. */
export interface Arrival<T> {
  at: number;
  result: FormattedExecutionResult<T, unknown>;
}

/** A running subscription: what it received so far, and ways to wait for more. */
export interface LiveSubscription<T> {
  arrivals: Arrival<T>[];
  /** Resolves once it completed, or with the error it ended with. */
  ended: Promise<{ error?: unknown }>;
  /** The first arrival (from index `from` on) that `accept` takes, waiting up to `timeoutMs`. */
  waitFor(accept: (data: T) => boolean, timeoutMs?: number, from?: number): Promise<Arrival<T>>;
  unsubscribe(): void;
}

/** Subscribes with `query` and `variables` on `live`, recording every result. */
export const subscribe = <T = any>(live: LiveClient, query: string, variables?: Record<string, unknown>): LiveSubscription<T> => {
  const arrivals: Arrival<T>[] = [];
  let wake: () => void = () => undefined;
  let onEnded: (end: { error?: unknown }) => void = () => undefined;
  const ended = new Promise<{ error?: unknown }>((resolve) => (onEnded = resolve));
  const unsubscribe = live.client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        arrivals.push({ at: performance.now(), result });
        wake();
      },
      error: (error) => onEnded({ error }),
      complete: () => onEnded({}),
    },
  );
  const waitFor = async (accept: (data: T) => boolean, timeoutMs = 5_000, from = 0): Promise<Arrival<T>> => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = arrivals.slice(from).find((arrival) => arrival.result.data && accept(arrival.result.data));
      if (found) return found;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`Nothing accepted arrived within ${timeoutMs} ms; got ${JSON.stringify(arrivals.map((a) => a.result))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };
  return { arrivals, ended, waitFor, unsubscribe };
};

/**
 * Runs `trigger` until `subscription` shows what it caused (graphql-ws does not acknowledge a
 * subscription, so this is how a test knows the server has registered it).
 */
export const untilListening = async <T>(subscription: LiveSubscription<T>, trigger: () => Promise<(data: T) => boolean>): Promise<void> => {
  for (let attempt = 1; ; attempt += 1) {
    const caused = await trigger();
    try {
      await subscription.waitFor(caused, 1_000);
      return;
    } catch (error) {
      if (attempt >= 10) throw error;
    }
  }
};
