import {
  type AuthorizationServer,
  type Client as OAuthClient,
  allowInsecureRequests,
  dynamicClientRegistrationRequest,
  processDynamicClientRegistrationResponse,
  protectedResourceRequest,
} from 'oauth4webapi';
import { ROLES } from '../../src/auth';
import { type TestApp, startTestApp } from '../testing/testApp';

/** The standard protocol (RFC 7591 / 7592) driven with a real OAuth client library against the running server. */
describe('standard registration', () => {
  let harness: TestApp;
  let as: AuthorizationServer;
  let adminToken: string;

  beforeAll(async () => {
    harness = await startTestApp({ env: { OPEN_REGISTRATION_TENANTS: 'open-tenant' } });
    adminToken = (await harness.caller('tenant-reg')).token;
    const discovered = (await (await fetch(`${harness.url}/.well-known/oauth-authorization-server`)).json()) as Omit<AuthorizationServer, 'issuer'>;
    as = { ...discovered, issuer: harness.url };
  });
  afterAll(() => harness.dispose());

  const register = (metadata: Record<string, unknown>, initialAccessToken: string | undefined = adminToken) =>
    dynamicClientRegistrationRequest(as, metadata as Partial<OAuthClient>, { initialAccessToken, [allowInsecureRequests]: true });

  const manage = (method: 'GET' | 'PUT' | 'DELETE', uri: string, token: string, body?: unknown) =>
    protectedResourceRequest(token, method, new URL(uri), new Headers(body ? { 'content-type': 'application/json' } : {}), body ? JSON.stringify(body) : null, {
      [allowInsecureRequests]: true,
    });

  /** The answer's status; oauth4webapi throws on a 401 with a Bearer challenge, carrying the answer. */
  const statusOf = (answer: Promise<Response>) =>
    answer.then(
      (response) => response.status,
      (error: { response?: Response; cause?: Response }) => {
        const refused = error.response ?? error.cause;
        if (!(refused instanceof Response)) throw error;
        expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
        return refused.status;
      },
    );

  const auditCount = async () =>
    (await harness.gql('{ auditTrail(first: 1) { totalCount } }', {}, { token: adminToken })).data.auditTrail.totalCount as number;

  it('advertises the registration endpoint', () => {
    expect(as.registration_endpoint).toBe(`${harness.url}/register`);
    expect(as.token_endpoint_auth_methods_supported).toEqual(['none']);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('registers, reads, replaces (rotating the token) and deletes a client, shown in GraphQL and the audit trail', async () => {
    const registered = await processDynamicClientRegistrationResponse(
      await register({ redirect_uris: ['http://localhost:8765/callback'], client_name: 'Agent', extra_thing: 1, grant_types: ['authorization_code', 'refresh_token'] }),
    );
    expect(registered).toMatchObject({
      client_name: 'Agent',
      redirect_uris: ['http://localhost:8765/callback'],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      access_token_lifetime: 3600,
    });
    expect(registered.client_secret).toBeUndefined();
    expect(typeof registered.client_id_issued_at).toBe('number');
    const uri = registered.registration_client_uri as string;
    const token = registered.registration_access_token as string;
    expect(uri).toBe(`${harness.url}/register/${registered.client_id}`);

    const listed = await harness.gql('query($id: ID!) { authorizationCodeClient(id: $id) { name createdBy { id } } }', { id: registered.client_id }, { token: adminToken });
    expect(listed.data.authorizationCodeClient).toEqual({ name: 'Agent', createdBy: { id: 'user-of-tenant-reg' } });

    const read = await manage('GET', uri, token);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ client_id: registered.client_id, client_name: 'Agent' });

    const replaced = await manage('PUT', uri, token, { client_id: registered.client_id, redirect_uris: ['https://agent.example.com/cb'], client_name: 'Agent 2' });
    expect(replaced.status).toBe(200);
    const after = (await replaced.json()) as Record<string, unknown>;
    expect(after).toMatchObject({ client_name: 'Agent 2', redirect_uris: ['https://agent.example.com/cb'] });
    const rotated = after.registration_access_token as string;
    expect(rotated).not.toBe(token);
    expect(await statusOf(manage('GET', uri, token))).toBe(401);

    const history = await harness.gql(
      'query($id: ID!) { auditTrail(filter: { clientId: $id }) { nodes { action actor { id name } changes { field } } } }',
      { id: registered.client_id },
      { token: adminToken },
    );
    const actions = history.data.auditTrail.nodes as { action: string; actor: { id: string }; changes: { field: string }[] }[];
    expect(actions.map((node) => node.action)).toContain('client.registration_token.issued');
    expect(actions.find((node) => node.action === 'client.renamed')!.actor.id).toBe(`registration-token:${registered.client_id}`);
    expect(JSON.stringify(actions)).not.toContain('tokenHash');

    expect(await statusOf(manage('DELETE', uri, rotated))).toBe(204);
    expect(await statusOf(manage('GET', uri, rotated))).toBe(401);
    const gone = await harness.gql('query($id: ID!) { authorizationCodeClient(id: $id) { id } }', { id: registered.client_id }, { token: adminToken });
    expect(gone.data.authorizationCodeClient).toBeNull();
  });

  it.each([
    ['a web client with an http redirect URI', { application_type: 'web', redirect_uris: ['http://localhost:3000/cb'] }, 'invalid_redirect_uri', /redirect_uris\[0\] "http:\/\/localhost:3000\/cb".*application_type web.*rule redirectUrl/],
    ['a non-loopback http redirect URI', { redirect_uris: ['http://app.example.com/cb'] }, 'invalid_redirect_uri', /redirect_uris\[0\] "http:\/\/app.example.com\/cb"/],
    ['a secret', { redirect_uris: ['https://a.example.com/cb'], token_endpoint_auth_method: 'client_secret_basic' }, 'invalid_client_metadata', /token_endpoint_auth_method/],
    ['no redirect URIs', { client_name: 'x' }, 'invalid_client_metadata', /redirect_uris is required/],
    ['a wrong JSON type', { redirect_uris: 'https://a.example.com/cb' }, 'invalid_client_metadata', /redirect_uris must be an array of strings/],
    ['10,000 redirect URIs', { redirect_uris: Array.from({ length: 10_000 }, (_, i) => `https://a.example.com/${i}`) }, 'invalid_client_metadata', /tooMany/],
    ['a bad token lifetime', { redirect_uris: ['https://a.example.com/cb'], access_token_lifetime: 5 }, 'invalid_client_metadata', /access_token_lifetime 5: .*rule tokenLifetime/],
  ])('refuses %s with an RFC 7591 error, recording nothing', async (_what, metadata, error, description) => {
    const before = await auditCount();
    const response = await register(metadata);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe(error);
    expect(body.error_description).toMatch(description);
    expect(await auditCount()).toBe(before);
  });

  it('refuses malformed JSON, a wrong content type, no token, an auditor, another client’s token and closed open registration', async () => {
    const before = await auditCount();
    const post = (body: string, headers: Record<string, string>) => fetch(`${harness.url}/register`, { method: 'POST', body, headers });
    const malformed = await post('{', { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` });
    expect([malformed.status, ((await malformed.json()) as { error: string }).error]).toEqual([400, 'invalid_client_metadata']);
    const text = await post('{}', { 'content-type': 'text/plain', authorization: `Bearer ${adminToken}` });
    expect(text.status).toBe(400);
    const anonymous = await register({ redirect_uris: ['https://a.example.com/cb'] }, '');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    const auditor = (await harness.caller('tenant-reg', { roles: [ROLES.auditor] })).token;
    expect((await register({ redirect_uris: ['https://a.example.com/cb'] }, auditor)).status).toBe(403);
    const closed = await fetch(`${harness.url}/tenants/tenant-reg/register`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(closed.status).toBe(403);
    expect(await auditCount()).toBe(before);

    const one = await processDynamicClientRegistrationResponse(await register({ redirect_uris: ['https://one.example.com/cb'] }));
    const two = await processDynamicClientRegistrationResponse(await register({ redirect_uris: ['https://two.example.com/cb'] }));
    expect(one.client_name).toBe('one.example.com');
    expect(await statusOf(manage('DELETE', one.registration_client_uri as string, two.registration_access_token as string))).toBe(401);
    expect(await statusOf(manage('GET', one.registration_client_uri as string, one.registration_access_token as string))).toBe(200);
  });

  it('registers anonymously in a tenant with open registration', async () => {
    const response = await fetch(`${harness.url}/tenants/open-tenant/register`, {
      method: 'POST',
      body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:9999/cb'], application_type: 'native', unknown_field: true }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('ignored-metadata')).toBe('unknown_field');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.application_type).toBe('native');
    const openAdmin = (await harness.caller('open-tenant')).token;
    const trail = await harness.gql('{ auditTrail(filter: { actions: ["client.created"] }) { nodes { clientId actor { id name } } } }', {}, { token: openAdmin });
    expect(trail.data.auditTrail.nodes).toEqual([{ clientId: body.client_id, actor: { id: 'anonymous', name: 'Anonymous registration' } }]);
  });
});
