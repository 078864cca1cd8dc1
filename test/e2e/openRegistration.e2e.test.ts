import { type TestApp, startTestApp } from '../testing/testApp';

/** Open registration (POST /tenants/{tenantId}/register, no token): its per-tenant quota and its rate limit. */
describe('open registration limits', () => {
  let harness: TestApp;
  beforeAll(async () => {
    harness = await startTestApp({ env: { OPEN_REGISTRATION_TENANTS: 'quota-tenant,flood-tenant', OPEN_REGISTRATION_QUOTA: '2' } });
  });
  afterAll(() => harness.dispose());

  const registerIn = (tenantId: string, name: string) =>
    fetch(`${harness.url}/tenants/${tenantId}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: name, redirect_uris: ['http://127.0.0.1/callback'] }),
    });

  const auditCount = async (tenantId: string) => {
    const { token } = await harness.caller(tenantId, { roles: ['Tenant Auditor'] });
    return (await harness.gql('{ auditTrail(first: 1) { totalCount } }', {}, { token })).data.auditTrail.totalCount as number;
  };

  it('refuses a registration beyond OPEN_REGISTRATION_QUOTA, recording nothing, and takes one again once a client is deleted', async () => {
    const first = (await (await registerIn('quota-tenant', 'one')).json()) as { registration_client_uri: string; registration_access_token: string };
    expect((await registerIn('quota-tenant', 'two')).status).toBe(201);
    const before = await auditCount('quota-tenant');

    const refused = await registerIn('quota-tenant', 'three');
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { error: string; error_description: string };
    expect(body.error).toBe('access_denied');
    expect(body.error_description).toMatch(/quota of 2 clients registered without a token \(OPEN_REGISTRATION_QUOTA\)/);
    expect(await auditCount('quota-tenant')).toBe(before);

    // Clients an administrator registers do not count against it.
    const admin = (await harness.caller('quota-tenant')).token;
    const byAdmin = await fetch(`${harness.url}/register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['https://admin.example.com/cb'] }),
    });
    expect(byAdmin.status).toBe(201);
    expect((await registerIn('quota-tenant', 'still three')).status).toBe(403);

    const deleted = await fetch(first.registration_client_uri, { method: 'DELETE', headers: { authorization: `Bearer ${first.registration_access_token}` } });
    expect(deleted.status).toBe(204);
    expect((await registerIn('quota-tenant', 'three at last')).status).toBe(201);
  });

  it('answers a flood from one address with 429 and Retry-After, recording nothing more, while another tenant still registers', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 40 && !limited; i += 1) {
      const response = await registerIn('flood-tenant', `flood ${i}`);
      statuses.push(response.status);
      if (response.status === 429) limited = response;
      else await response.body?.cancel();
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited!.json()) as { error: string }).error).toBe('too_many_requests');
    // The quota (2) refused most before the rate limit did: both are refusals, and nothing beyond the quota was recorded.
    expect(statuses.filter((status) => status === 201)).toHaveLength(2);
    // Each registration is two entries: the client created and its registration token issued.
    expect(await auditCount('flood-tenant')).toBe(4);
  });
});
