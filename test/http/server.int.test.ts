import 'reflect-metadata';
import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Services } from '../../src/graphql/context';
import { createApolloServer } from '../../src/graphql/apollo';
import { buildAppSchema } from '../../src/graphql/schema';
import { createHttpServer } from '../../src/http/server';
import { silentLogger } from '../../src/logger';

describe('the HTTP server, when Apollo refuses a request before running it', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // Never started: Apollo answers every request with its own refusal, before any plugin runs.
    const apollo = createApolloServer({ schema: buildAppSchema(), production: true, limits: { maxDepth: 12, maxCost: 50_000 }, logger: silentLogger() });
    server = createHttpServer({
      apollo,
      verifier: { verify: () => Promise.resolve({ id: 'ada', name: 'Ada', tenantId: 'tenant-a', roles: ['Tenant Administrator'] }) },
      services: {} as Services,
      logger: silentLogger(),
      maxBodyBytes: 4096,
      consistencyWaitMs: 100,
      pages: () => false,
      readiness: () => ({ ready: true, details: [] }),
      production: true,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('answers its own refusal in the one wire shape, with the operation id, instead of Apollo’s', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer any' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', operationId: response.headers.get('x-operation-id') } }],
    });
  });
});
