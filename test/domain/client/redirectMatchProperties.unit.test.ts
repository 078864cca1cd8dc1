import fc from 'fast-check';
import { matchRedirectUrl } from '../../../src/domain/client';

const LOOPBACK_IP = /^http:\/\/(?:127\.0\.0\.1|\[::1\])/;

/** The text of a loopback IP literal http URL with any port taken out; undefined for any other URL. */
const portless = (url: string): string | undefined => {
  const origin = LOOPBACK_IP.exec(url)?.[0];
  if (origin === undefined) return undefined;
  const rest = url.slice(origin.length);
  const port = /^:\d{1,5}(?=[/?]|$)/.exec(rest)?.[0] ?? '';
  const after = rest.slice(port.length);
  return after === '' || after.startsWith('/') || after.startsWith('?') ? origin + after : undefined;
};

/** The oracle: registered exactly, or a port variant of a registered loopback IP literal http URL. */
const shouldMatch = (registered: readonly string[], presented: string): boolean =>
  registered.includes(presented) ||
  (portless(presented) !== undefined && registered.some((url) => portless(url) !== undefined && portless(url) === portless(presented)));

const scheme = fc.constantFrom('https', 'http', 'HTTPS', 'com.example.app');
const host = fc.constantFrom('a.example.com', 'A.example.com', 'b.example.com', 'localhost', '127.0.0.1', '[::1]', 'LOCALHOST', 'user@a.example.com');
const port = fc.constantFrom('', ':443', ':80', ':3000', ':51004', ':');
const path = fc.constantFrom('', '/', '/cb', '/cb/', '/CB', '/x/../cb', '/%63b', '/a~b', '/a%7Eb', '/callback');
const query = fc.constantFrom('', '?x=1', '?a=1&b=2', '?b=2&a=1', '?q=a%20b');
const fragment = fc.constantFrom('', '', '', '#f');
const url = fc.tuple(scheme, host, port, path, query, fragment).map(([s, h, p, pa, q, f]) => `${s}://${h}${p}${pa}${q}${f}`);
const notAUrl = fc.constantFrom('', 'a.example.com/cb', '/cb', 'cb');
const presented = fc.oneof(url, notAUrl, fc.string({ maxLength: 30 }));
const registered = fc.uniqueArray(url, { maxLength: 6 });

describe('matchRedirectUrl, for any registration and any presented URL', () => {
  it('matches exactly when the URL is registered or is a port variant of a registered loopback IP literal over http', () => {
    fc.assert(
      fc.property(registered, presented, (urls, candidate) => {
        const match = matchRedirectUrl(urls, candidate);
        expect(match.matched).toBe(shouldMatch(urls, candidate));
        if (match.matched) {
          expect(urls).toContain(match.matchedUrl);
          expect(match.rule).toBe(urls.includes(candidate) ? 'exactMatch' : 'loopbackAnyPort');
          expect(match.nearest).toBeNull();
        } else {
          expect(match.matchedUrl).toBeNull();
          expect(match.rule).toBe('noMatch');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('a port variant of a registered loopback IP literal over http always matches it', () => {
    const loopback = fc
      .tuple(fc.constantFrom('127.0.0.1', '[::1]'), port.filter((p) => p !== ':'), path, query)
      .map(([h, p, pa, q]) => ({ registered: `http://${h}${p}${pa}${q}`, base: `http://${h}`, rest: `${pa}${q}` }));
    fc.assert(
      fc.property(loopback, fc.integer({ min: 1, max: 65535 }), ({ registered: url, base, rest }, newPort) => {
        if (rest !== '' && !rest.startsWith('/') && !rest.startsWith('?')) return;
        expect(matchRedirectUrl([url], `${base}:${newPort}${rest}`)).toMatchObject({ matched: true, matchedUrl: url });
      }),
    );
  });

  it('when nothing matches, names a registered URL as nearest with at least one difference, each naming it', () => {
    fc.assert(
      fc.property(registered.filter((urls) => urls.length > 0), presented, (urls, candidate) => {
        const match = matchRedirectUrl(urls, candidate);
        if (match.matched) return;
        expect(match.nearest).not.toBeNull();
        const { url: nearest, differences } = match.nearest!;
        expect(urls).toContain(nearest);
        expect(differences.length).toBeGreaterThan(0);
        for (const { kind, message } of differences) {
          expect(kind).toMatch(/^[a-z][A-Za-z]+$/);
          expect(message).toMatch(/^[a-z][A-Za-z -]*: /);
          expect(message).toContain(nearest);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('with no registered URL, matches nothing and names no nearest', () => {
    fc.assert(
      fc.property(presented, (candidate) => {
        expect(matchRedirectUrl([], candidate)).toEqual({ matched: false, matchedUrl: null, rule: 'noMatch', nearest: null });
      }),
    );
  });
});
