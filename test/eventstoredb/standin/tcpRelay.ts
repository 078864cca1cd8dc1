import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/** The stand-in's public port: relays each connection to the gRPC server, so that a stop can drop them all at once. */
export interface TcpRelay {
  /** Listens on the relay's port (the one asked for the first time, the same one afterwards). */
  listen(): Promise<number>;
  /** Stops listening and destroys every relayed connection, as a server that goes away leaves its clients. */
  drop(): Promise<void>;
}

/** Creates a relay from `host:port` to `target`; nothing listens before `listen()`. */
export const createTcpRelay = (host: string, port: number, target: AddressInfo): TcpRelay => {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let boundPort = port;

  const relay = (client: Socket): void => {
    const upstream = connect(target.port, target.address);
    const pair = [client, upstream];
    for (const socket of pair) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        for (const other of pair) {
          other.destroy();
          sockets.delete(other);
        }
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  };

  return {
    listen: async () => {
      if (server) return boundPort;
      const next = createServer(relay);
      boundPort = await new Promise<number>((resolve, reject) => {
        next.once('error', reject);
        next.listen(boundPort, host, () => resolve((next.address() as AddressInfo).port));
      });
      server = next;
      return boundPort;
    },
    drop: async () => {
      const current = server;
      server = null;
      for (const socket of [...sockets]) socket.destroy();
      sockets.clear();
      if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
    },
  };
};
