import { type IncomingMessage, type Server } from 'node:http';
import { type Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { type ConnectionState, type SubscriptionHookOptions, subscriptionHooks } from './subscriptionHooks';

/** What the subscription server needs: the HTTP server to attach to, and what the hooks need. */
export interface SubscriptionServerOptions extends SubscriptionHookOptions {
  server: Server;
  /** Largest message accepted, in bytes: the HTTP body limit. */
  maxPayloadBytes: number;
  /** The path WebSocket upgrades are taken on; default `/graphql`, the GraphQL endpoint's. */
  path?: string;
}

/** Subscriptions over graphql-ws, attached to an HTTP server. */
export interface SubscriptionServer {
  /** Refuses new upgrades and closes every connection (1001 Going away; ended after a grace period when a client does not answer). */
  close(): Promise<void>;
}

/** How long a client may take to answer the close at shutdown before its socket is ended. */
const CLOSE_GRACE_MS = 1000;

const pathOf = (req: IncomingMessage): string | null => {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return null;
  }
};

/** An upgrade refused before the WebSocket handshake, as a plain HTTP answer. */
const refuseUpgrade = (socket: Duplex, status: string): void => {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

/**
 * Takes WebSocket upgrades on `/graphql` (any other path is answered 404) and serves the
 * graphql-transport-ws protocol there. The token comes in the connection parameters, never from a
 * cookie, so a page of another origin that opens a socket gains nothing without it: the Origin
 * header needs no check against cross-site WebSocket hijacking.
 */
export const attachSubscriptionServer = (options: SubscriptionServerOptions): SubscriptionServer => {
  const path = options.path ?? '/graphql';
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (pathOf(req) !== path) return refuseUpgrade(socket, '404 Not Found');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  options.server.on('upgrade', onUpgrade);
  const served = useServer<Record<string, unknown>, ConnectionState>({ ...subscriptionHooks(options), isProd: options.production }, wss);
  return {
    async close() {
      options.server.off('upgrade', onUpgrade);
      const sockets = [...wss.clients];
      await served.dispose();
      const closed = sockets.map((socket) => (socket.readyState === socket.CLOSED ? Promise.resolve() : new Promise((resolve) => socket.once('close', resolve))));
      await Promise.race([Promise.all(closed), delay(CLOSE_GRACE_MS)]);
      for (const socket of sockets) socket.terminate();
    },
  };
};
