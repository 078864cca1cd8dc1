import { ROLES } from '../../src/auth';
import { type TestApp, addClient, errorCode, startTestApp } from '../testing/testApp';

const MATCH = `query($clientId: ID!, $url: String!) {
  matchRedirectUrl(clientId: $clientId, url: $url) { matched matchedUrl rule nearest { url differences details { kind message } } }
}`;

const REGISTERED = ['https://a.example.com/cb', 'http://127.0.0.1/callback', 'http://localhost:8888/cb'];

describe('matchRedirectUrl: whether a presented redirect URL matches, and why not', () => {
  let test: TestApp;
  let clientId: string;

  beforeAll(async () => {
    test = await startTestApp();
    clientId = (await addClient(test, { allowedRedirectUrls: REGISTERED })).id;
  });
  afterAll(() => test.dispose());

  const match = async (url: string, token?: string) => {
    const response = await test.gql(MATCH, { clientId, url }, { token });
    expect(response.errors).toBeUndefined();
    return response.data.matchRedirectUrl;
  };

  it('matches a registered URL exactly', async () => {
    expect(await match('https://a.example.com/cb')).toEqual({ matched: true, matchedUrl: 'https://a.example.com/cb', rule: 'exactMatch', nearest: null });
  });

  it('matches a loopback IP literal over http on any port (RFC 8252 §7.3)', async () => {
    expect(await match('http://127.0.0.1:51004/callback')).toEqual({
      matched: true,
      matchedUrl: 'http://127.0.0.1/callback',
      rule: 'loopbackAnyPort',
      nearest: null,
    });
  });

  it.each([
    ['https://a.example.com/cb/', 'https://a.example.com/cb', 'trailingSlash'],
    ['https://A.EXAMPLE.COM/cb', 'https://a.example.com/cb', 'hostCase'],
    ['http://a.example.com/cb', 'https://a.example.com/cb', 'scheme'],
    ['HTTPS://a.example.com/cb', 'https://a.example.com/cb', 'schemeCase'],
    ['https://a.example.com:8443/cb', 'https://a.example.com/cb', 'port'],
    ['https://a.example.com/callback', 'https://a.example.com/cb', 'path'],
    ['https://a.example.com/x/../cb', 'https://a.example.com/cb', 'dotSegments'],
    ['https://a.example.com/%63b', 'https://a.example.com/cb', 'percentEncoding'],
    ['https://a.example.com/cb?x=1', 'https://a.example.com/cb', 'query'],
    ['https://a.example.com/cb#top', 'https://a.example.com/cb', 'fragment'],
    ['https://user@a.example.com/cb', 'https://a.example.com/cb', 'userinfo'],
    ['https://b.example.com/cb', 'https://a.example.com/cb', 'host'],
    ['http://localhost/callback', 'http://127.0.0.1/callback', 'loopbackName'],
    ['a.example.com/cb', 'https://a.example.com/cb', 'notAUrl'],
  ])('names the difference of %s from the nearest, %s: %s', async (url, nearest, kind) => {
    const answer = await match(url);
    expect(answer).toMatchObject({ matched: false, matchedUrl: null, rule: 'noMatch', nearest: { url: nearest } });
    expect(answer.nearest.details).toHaveLength(1);
    expect(answer.nearest.details[0].kind).toBe(kind);
    expect(answer.nearest.differences).toEqual([answer.nearest.details[0].message]);
    expect(answer.nearest.differences[0]).toContain(nearest);
  });

  it('does not let localhost match on another port, and says why', async () => {
    const answer = await match('http://localhost:9999/cb');
    expect(answer.matched).toBe(false);
    expect(answer.nearest.url).toBe('http://localhost:8888/cb');
    expect(answer.nearest.details).toEqual([
      { kind: 'port', message: expect.stringContaining('only for the loopback IP literals 127.0.0.1 and [::1] (RFC 8252 §7.3)') },
    ]);
    expect(answer.nearest.differences[0]).toContain('register http://127.0.0.1/cb');
  });

  it('answers NOT_FOUND for another tenant’s client, and for one that does not exist', async () => {
    const other = await test.caller('tenant-other');
    const response = await test.gql(MATCH, { clientId, url: REGISTERED[0] }, { token: other.token });
    expect(errorCode(response)).toBe('NOT_FOUND');
    expect(response.data).toBeNull();
    const missing = await test.gql(MATCH, { clientId: '0f000000-0000-4000-8000-00000000000f', url: REGISTERED[0] });
    expect(errorCode(missing)).toBe('NOT_FOUND');
  });

  it('may be asked by an auditor', async () => {
    const owner = await test.gql('{ me { tenantId } }');
    const auditor = await test.caller(owner.data.me.tenantId, { roles: [ROLES.auditor], subject: 'auditor-1' });
    expect(await match('https://a.example.com/cb', auditor.token)).toMatchObject({ matched: true, rule: 'exactMatch' });
  });

  it('refuses a URL longer than any redirect URL may be with BAD_USER_INPUT on field url', async () => {
    const long = `https://a.example.com/${'a'.repeat(2048)}`;
    const response = await test.gql(MATCH, { clientId, url: long });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors![0].extensions.violations).toEqual([
      { field: 'url', rule: 'redirectUrl', message: `Redirect URL must be at most 2048 characters long (it has ${[...long].length})` },
    ]);
    const longest = `https://a.example.com/${'a'.repeat(2048 - 'https://a.example.com/'.length)}`;
    expect((await match(longest)).matched).toBe(false);
  });

  it('stores what a browser presents: a URL registered in another form matches in its normal form', async () => {
    const { id, allowedRedirectUrls } = await addClient(test, { allowedRedirectUrls: ['HTTP://LOCALHOST:8888/cb', 'https://a.example.com/x/../cb'] });
    expect(allowedRedirectUrls).toEqual(['http://localhost:8888/cb', 'https://a.example.com/cb']);
    const response = await test.gql(MATCH, { clientId: id, url: 'http://localhost:8888/cb' });
    expect(response.data.matchRedirectUrl).toMatchObject({ matched: true, matchedUrl: 'http://localhost:8888/cb', rule: 'exactMatch' });
    const change = (name: string, url: string) =>
      test.gql(`mutation($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { changed client { allowedRedirectUrls } } }`, {
        input: { clientId: id, url },
      });
    // Another form of a stored URL is the same URL: adding it changes nothing, removing it removes the stored one.
    expect((await change('addRedirectUrl', 'HTTPS://A.example.com/cb')).data.addRedirectUrl.changed).toBe(false);
    expect((await change('addRedirectUrl', 'https://b.example.com:443')).data.addRedirectUrl).toEqual({
      changed: true,
      client: { allowedRedirectUrls: ['http://localhost:8888/cb', 'https://a.example.com/cb', 'https://b.example.com/'] },
    });
    expect((await change('removeRedirectUrl', 'HTTP://LocalHost:8888/./cb')).data.removeRedirectUrl).toEqual({
      changed: true,
      client: { allowedRedirectUrls: ['https://a.example.com/cb', 'https://b.example.com/'] },
    });
  });
});
