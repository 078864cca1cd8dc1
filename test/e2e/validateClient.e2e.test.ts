import { ROLES } from '../../src/auth';
import { clientStreamId } from '../../src/domain/client';
import { type TestApp, addClient, errorCode, startTestApp } from '../testing/testApp';

const VALIDATE = `query($input: AddAuthorizationCodeClientInput!) { validateAuthorizationCodeClient(input: $input) { field rule message index } }`;
const ADD = `mutation($input: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $input) { client { id } } }`;
const NOTHING_RECORDED = `{ authorizationCodeClients { totalCount } auditTrail { totalCount nodes { id } } }`;

interface Violation {
  field: string;
  rule: string;
  message: string;
  index?: number | null;
}

describe('validateAuthorizationCodeClient: the add’s own rules, without adding', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.dispose());

  const validate = async (input: Record<string, unknown>, token?: string): Promise<Violation[]> => {
    const response = await test.gql(VALIDATE, { input }, { token });
    expect(response.errors).toBeUndefined();
    return response.data.validateAuthorizationCodeClient;
  };

  /** What addAuthorizationCodeClient reports for the input, in the query's shape (no index is null). */
  const addViolations = async (input: Record<string, unknown>): Promise<Violation[]> => {
    const response = await test.gql(ADD, { input });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    return (response.errors![0].extensions.violations as Violation[]).map(({ field, rule, message, index }) => ({
      field,
      rule,
      message,
      index: index ?? null,
    }));
  };

  it('answers the same field, rule and message as the add for a bad redirect URL, an empty name and a short lifetime', async () => {
    const input = { name: '', allowedRedirectUrls: ['https://ok.example.com/cb', 'http://example.com/cb'], tokenLifetime: 30 };
    const violations = await validate(input);
    expect(violations).toEqual(await addViolations(input));
    expect(violations).toHaveLength(3);
    expect(violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'allowedRedirectUrls', rule: 'redirectUrl', index: 1 }),
        expect.objectContaining({ field: 'name', rule: 'name', index: null }),
        expect.objectContaining({ field: 'tokenLifetime', rule: 'tokenLifetime', index: null }),
      ]),
    );
  });

  it('answers every rule the add reports, a bad id among them', async () => {
    const input = {
      id: 'not-a-uuid',
      name: '\u0001',
      allowedRedirectUrls: ['https://app.example.com/cb#frag', 'javascript:alert(1)'],
      allowedLogoutRedirectUrls: ['https://*.example.com/out'],
      allowedCorsOrigins: ['https://example.com/path'],
      clientUri: 'ftp://example.com',
      tags: ['ok', 'bad tag!'],
      reason: ' ',
    };
    const violations = await validate(input);
    expect(violations.length).toBeGreaterThanOrEqual(8);
    expect(violations).toEqual(await addViolations(input));
  });

  it('answers [] for an input the add would accept, and records nothing', async () => {
    const id = '5b0c2a8e-7d41-4f0a-9c3e-1a2b3c4d5e6f';
    const input = {
      id,
      name: 'Storefront',
      allowedRedirectUrls: ['https://shop.example.com/callback', 'com.example.app:/callback'],
      allowedCorsOrigins: ['https://www.example.com'],
      tokenLifetime: 600,
      reason: 'first try',
    };
    expect(await validate(input)).toEqual([]);
    expect(await validate({ name: 'No id', allowedRedirectUrls: ['http://localhost:3000/cb'] })).toEqual([]);
    const recorded = await test.gql(NOTHING_RECORDED);
    expect(recorded.data).toEqual({ authorizationCodeClients: { totalCount: 0 }, auditTrail: { totalCount: 0, nodes: [] } });
    expect((await test.app.store.readStream(clientStreamId(id))).streamExists).toBe(false);
  });

  it('reports a bad reason as the add does, alone and with the input’s own violations', async () => {
    const valid = { name: 'App', allowedRedirectUrls: ['https://app.example.com/cb'] };
    for (const input of [{ ...valid, reason: ' ' }, { ...valid, reason: '\u0007' }, { ...valid, name: '', reason: ' ' }]) {
      const violations = await validate(input);
      expect(violations).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'reason', rule: 'reason' })]));
      expect(violations).toEqual(await addViolations(input));
    }
  });

  it('cannot know that a supplied id is taken: that is CONFLICT only when adding', async () => {
    const other = await test.caller('tenant-taken');
    const { id } = await addClient(test, {}, other.token);
    expect(await validate({ id, name: 'Again', allowedRedirectUrls: ['https://app.example.com/cb'] }, other.token)).toEqual([]);
    const again = await test.gql(ADD, { input: { id, name: 'Again', allowedRedirectUrls: ['https://app.example.com/cb'] } }, { token: other.token });
    expect(errorCode(again)).toBe('CONFLICT');
  });

  it('is a query: FORBIDDEN without a known role, open to a Tenant Auditor', async () => {
    const input = { name: '', allowedRedirectUrls: ['https://app.example.com/cb'] };
    const nobody = await test.caller('tenant-a', { roles: ['Help Desk'] });
    const refused = await test.gql(VALIDATE, { input }, { token: nobody.token });
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(refused.data?.validateAuthorizationCodeClient).toBeUndefined();
    const roleless = await test.caller('tenant-a', { roles: [] });
    expect(errorCode(await test.gql(VALIDATE, { input }, { token: roleless.token }))).toBe('FORBIDDEN');
    const auditor = await test.caller('tenant-a', { roles: [ROLES.auditor] });
    expect(await validate(input, auditor.token)).toEqual([expect.objectContaining({ field: 'name', rule: 'name' })]);
    expect(await validate({ ...input, name: 'Fine' }, auditor.token)).toEqual([]);
  });
});
