import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { buildSchema, graphql } from 'graphql';
import { createGraphiqlHandler, wantsGraphiql } from '../../src/http/graphiql';

const schema = buildSchema(`
  type Query { me: Me }
  type Me { id: String name: String tenantId: String roles: [String] }
`);

/** A stand-in for the real API: `me` echoes a `Bearer <tenant>:<user>` token back as a principal. */
function me(authorization: string | undefined) {
  const match = /^Bearer (?<tenant>[\w-]+):(?<user>[\w-]+)$/.exec(authorization ?? '');
  if (!match?.groups) throw new Error('expected Authorization: Bearer <tenant>:<user>');
  const { tenant, user } = match.groups;
  return { id: user, name: `User ${user}`, tenantId: tenant, roles: ['Tenant Administrator'] };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function answerGraphql(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { query, variables, operationName } = JSON.parse(await readBody(req)) as {
    query: string;
    variables?: Record<string, unknown>;
    operationName?: string;
  };
  const result = await graphql({
    schema,
    source: query,
    variableValues: variables,
    operationName,
    rootValue: { me: () => me(req.headers.authorization) },
  });
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(result));
}

/** A running test server. */
export interface TestServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 (ephemeral port) routing to the GraphiQL handler and a fake POST /graphql. */
export async function startTestServer(assetsDir: string): Promise<TestServer> {
  const graphiql = createGraphiqlHandler({ assetsDir });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/graphql' && wantsGraphiql(req) && graphiql(req, res)) return;
    if (path.startsWith('/graphiql') && graphiql(req, res)) return;
    if (path === '/graphql' && req.method === 'POST') {
      answerGraphql(req, res).catch(() => {
        res.writeHead(400, { 'Content-Type': 'text/plain' });
        res.end('bad request\n');
      });
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('no route\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
