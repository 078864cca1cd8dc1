import { matchRedirectUrl } from '../../../src/domain/client';

const CB = 'https://a.example.com/cb';

/** The one difference between `presented` and `registered`, as matchRedirectUrl names it. */
const onlyDifference = (registered: string, presented: string) => {
  const match = matchRedirectUrl([registered], presented);
  expect(match).toMatchObject({ matched: false, matchedUrl: null, rule: 'noMatch', nearest: { url: registered } });
  expect(match.nearest!.differences).toHaveLength(1);
  return match.nearest!.differences[0];
};

describe('matchRedirectUrl', () => {
  describe('matches', () => {
    it('a registered URL exactly', () => {
      expect(matchRedirectUrl(['https://b.example.com/x', CB], CB)).toEqual({ matched: true, matchedUrl: CB, rule: 'exactMatch', nearest: null });
    });

    it.each([
      ['http://127.0.0.1/cb', 'http://127.0.0.1:51004/cb'],
      ['http://127.0.0.1:8080/cb', 'http://127.0.0.1:9090/cb'],
      ['http://127.0.0.1:8080/cb?x=1', 'http://127.0.0.1/cb?x=1'],
      ['http://[::1]/callback', 'http://[::1]:61023/callback'],
    ])('a loopback IP literal over http on any port (RFC 8252 §7.3): %s for %s', (registered, presented) => {
      expect(matchRedirectUrl([CB, registered], presented)).toEqual({ matched: true, matchedUrl: registered, rule: 'loopbackAnyPort', nearest: null });
    });
  });

  describe('does not match, and names the difference', () => {
    it.each([
      ['scheme', 'http://a.example.com/cb', "scheme: the presented URL uses 'http:', the registered one (https://a.example.com/cb) uses 'https:'"],
      ['schemeCase', 'HTTPS://a.example.com/cb', "scheme case: the presented URL writes its scheme 'HTTPS:', the registered one (https://a.example.com/cb) writes 'https:'"],
      ['hostCase', 'https://A.Example.com/cb', "host case: the presented URL writes the host 'A.Example.com', the registered one (https://a.example.com/cb) writes 'a.example.com'"],
      ['host', 'https://b.example.com/cb', "host: the presented URL goes to 'b.example.com', the registered one (https://a.example.com/cb) to 'a.example.com'"],
      ['port', 'https://a.example.com:8443/cb', 'port: the presented URL has port 8443, the registered one (https://a.example.com/cb) has no port'],
      ['port', 'https://a.example.com:443/cb', 'port: the presented URL has port 443 (the default of https, which a browser leaves out), the registered one (https://a.example.com/cb) has no port'],
      ['trailingSlash', 'https://a.example.com/cb/', "trailing slash: the presented URL ends its path with '/', the registered one (https://a.example.com/cb) does not"],
      ['path', 'https://a.example.com/callback', "path: the presented URL has the path '/callback', the registered one (https://a.example.com/cb) has '/cb'"],
      ['path', 'https://a.example.com/CB', "path: the presented URL has the path '/CB', the registered one (https://a.example.com/cb) has '/cb'; a path is case-sensitive"],
      ['dotSegments', 'https://a.example.com/x/../cb', "dot segments: the presented URL has the path '/x/../cb', the registered one (https://a.example.com/cb) has '/cb'; they are the same once"],
      ['percentEncoding', 'https://a.example.com/%63b', "percent-encoding: the presented URL has the path '/%63b', the registered one (https://a.example.com/cb) has '/cb'; they decode to the same text"],
      ['query', 'https://a.example.com/cb?x=1', "query: the presented URL has the query '?x=1', the registered one (https://a.example.com/cb) has no query"],
      ['userinfo', 'https://user@a.example.com/cb', "user info: the presented URL has the user info 'user@' before its host, the registered one (https://a.example.com/cb) has none; a redirect URL carries none (RFC 3986 §3.2.1"],
      ['fragment', 'https://a.example.com/cb#top', "fragment: the presented URL has the fragment '#top', the registered one (https://a.example.com/cb) has none; a redirect URL has no fragment (RFC 6749 §3.1.2)"],
      ['notAUrl', 'a.example.com/cb', "not a URL: the presented value 'a.example.com/cb' has no scheme, so it is not an absolute URL; the registered one is https://a.example.com/cb"],
    ])('%s: %s', (kind, presented, message) => {
      const difference = onlyDifference(CB, presented);
      expect(difference.kind).toBe(kind);
      expect(difference.message.startsWith(message)).toBe(true);
    });

    it('a trailing slash the registered URL has and the presented one lacks', () => {
      expect(onlyDifference('https://a.example.com/cb/', CB)).toEqual({
        kind: 'trailingSlash',
        message: "trailing slash: the presented URL does not end its path with '/', the registered one (https://a.example.com/cb/) does ('/cb/')",
      });
    });

    it('percent-encoding in the query, and parameters in another order', () => {
      expect(onlyDifference(`${CB}?q=a%20b`, `${CB}?q=a%2520b`).kind).toBe('query');
      expect(onlyDifference(`${CB}?q=a~b`, `${CB}?q=a%7Eb`).kind).toBe('percentEncoding');
      expect(onlyDifference(`${CB}?q=a%2fb`, `${CB}?q=a%2Fb`).kind).toBe('percentEncoding');
      expect(onlyDifference(`${CB}?a=1&b=2`, `${CB}?b=2&a=1`).message).toMatch(/^query: .*the same parameters in another order/);
    });

    it("localhost on another port, which RFC 8252 allows only for loopback IP literals, with the URL to register instead", () => {
      const difference = onlyDifference('http://localhost:8888/cb', 'http://localhost:9999/cb');
      expect(difference.kind).toBe('port');
      expect(difference.message).toBe(
        "port: the presented URL has port 9999, the registered one (http://localhost:8888/cb) has port 8888; any port matches only for the loopback IP literals 127.0.0.1 and [::1] (RFC 8252 §7.3), not for 'localhost' (RFC 8252 §8.3): register http://127.0.0.1/cb and have the app send http://127.0.0.1:<port>/cb",
      );
    });

    it.each([
      ['http://127.0.0.1:8888/cb', 'http://localhost:8888/cb', 'localhost', '127.0.0.1'],
      ['http://localhost/cb', 'http://[::1]/cb', '[::1]', 'localhost'],
      ['http://[::1]/cb', 'http://127.0.0.1/cb', '127.0.0.1', '[::1]'],
    ])('a loopback name for another (%s for %s)', (registered, presented, presentedHost, registeredHost) => {
      const difference = onlyDifference(registered, presented);
      expect(difference.kind).toBe('loopbackName');
      expect(difference.message).toMatch(
        new RegExp(`^loopback name: the presented URL names this machine '${presentedHost.replace(/[[\]]/g, '\\$&')}', the registered one \\(${registered.replace(/[[\].]/g, '\\$&')}\\) names it '${registeredHost.replace(/[[\]]/g, '\\$&')}'`),
      );
    });

    it('a loopback IP literal whose port differs is reported by what else differs, never by its port', () => {
      const match = matchRedirectUrl(['http://127.0.0.1:4000/cb'], 'http://127.0.0.1:5000/callback');
      expect(match.nearest!.differences.map((difference) => difference.kind)).toEqual(['path']);
    });

    it('a loopback IP literal over https on another port does not match', () => {
      expect(onlyDifference('https://127.0.0.1:4000/cb', 'https://127.0.0.1:5000/cb').kind).toBe('port');
    });

    it('every difference at once, from left to right', () => {
      const match = matchRedirectUrl([CB], 'HTTPS://user@A.EXAMPLE.COM:8443/cb/?x=1#f');
      expect(match.nearest!.differences.map((difference) => difference.kind)).toEqual([
        'schemeCase',
        'userinfo',
        'hostCase',
        'port',
        'trailingSlash',
        'query',
        'fragment',
      ]);
    });

    it('names no nearest URL when the client has none', () => {
      expect(matchRedirectUrl([], CB)).toEqual({ matched: false, matchedUrl: null, rule: 'noMatch', nearest: null });
    });
  });

  describe('chooses the nearest registered URL', () => {
    const registered = ['https://other.example.net/login', 'https://a.example.com/callback', CB, 'http://localhost:3000/cb'];

    it.each([
      ['https://a.example.com/cb/', CB],
      ['https://A.example.com/cb', CB],
      ['https://a.example.com/callback/', 'https://a.example.com/callback'],
      ['http://localhost:3001/cb', 'http://localhost:3000/cb'],
      ['https://other.example.net/Login', 'https://other.example.net/login'],
      ['http://a.example.com/cb', CB],
    ])('for %s: %s', (presented, nearest) => {
      expect(matchRedirectUrl(registered, presented).nearest!.url).toBe(nearest);
    });
  });
});
