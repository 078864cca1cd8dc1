import fc from 'fast-check';
import { normalUrl, parseCorsOrigin, parseRedirectUrl, removeDotSegments } from '../../../src/domain/client/values';
import { normalPercentEncoding } from '../../../src/domain/client/values/normalForm';

describe('normalUrl (RFC 3986 §6.2.2)', () => {
  it.each([
    ['HTTP://LOCALHOST:8888/cb', 'http://localhost:8888/cb'],
    ['https://a.example.com/x/../cb', 'https://a.example.com/cb'],
    ['https://A.EXAMPLE.com:443', 'https://a.example.com/'],
    ['http://127.0.0.1:80/cb?x=%7e%2f', 'http://127.0.0.1/cb?x=~%2F'],
    ['http://[::1]:8080/CB', 'http://[::1]:8080/CB'],
    ['https://a.example.com:/cb', 'https://a.example.com/cb'],
    ['COM.Example.App:/cb', 'com.example.app:/cb'],
    ['com.example.app://Host:443/a/./b', 'com.example.app://host:443/a/b'],
    ['https://a.example.com/cb#Frag%7e', 'https://a.example.com/cb#Frag%7e'],
  ])('%s is %s', (text, normal) => {
    expect(normalUrl(text)).toBe(normal);
  });

  it('leaves text without a scheme as it is', () => {
    expect(normalUrl('a.example.com/x/../cb')).toBe('a.example.com/x/../cb');
    expect(normalUrl('')).toBe('');
  });

  it.each([
    ['/a/b/c/./../../g', '/a/g'],
    ['mid/content=5/../6', 'mid/6'],
    ['/..', '/'],
    ['/a/..', '/'],
    ['/a/.', '/a/'],
    ['', ''],
  ])('removes the dot segments of %s (RFC 3986 §5.2.4)', (path, removed) => {
    expect(removeDotSegments(path)).toBe(removed);
  });

  it('upper-cases percent-encoding and decodes unreserved characters only (§6.2.2.1, §6.2.2.2)', () => {
    expect(normalPercentEncoding('%41%7a%2d%2E%5f%7E%2f%3a%20%c3%a9')).toBe('Az-._~%2F%3A%20%C3%A9');
  });

  const fragments = [
    'https://', 'HTTP://', 'com.example.app:', 'Com.Example.App://', 'localhost', 'LOCALHOST', '127.0.0.1', '[::1]',
    'A.Example.com', ':443', ':80', ':8080', ':', '/', '//', '.', '..', '/./', '/../', '%2e', '%2E', '%41', '%7e', '%2f',
    '%', '?', '#', '@', 'cb', 'x=1', '&',
  ];
  const urlLike = fc.oneof(
    fc.array(fc.constantFrom(...fragments), { maxLength: 10 }).map((parts) => parts.join('')),
    fc.webUrl({ withQueryParameters: true, withFragments: true, authoritySettings: { withPort: true, withUserInfo: true, withIPv6: true } }),
    fc.string({ maxLength: 40 }),
  );

  it('is idempotent', () => {
    fc.assert(
      fc.property(urlLike, (text) => {
        const normal = normalUrl(text);
        expect(normalUrl(normal)).toBe(normal);
      }),
      { numRuns: 3000 },
    );
  });

  it('of an accepted redirect URL is accepted too, as itself, and is what registration stores', () => {
    fc.assert(
      fc.property(urlLike, (text) => {
        const parsed = parseRedirectUrl(text, { field: 'url' });
        if (!parsed.ok) return;
        expect(parsed.value).toBe(normalUrl(text.trim()));
        expect(parseRedirectUrl(parsed.value, { field: 'url' })).toEqual({ ok: true, value: parsed.value });
      }),
      { numRuns: 3000 },
    );
  });

  it('a CORS origin was always answered in normal form (lower-case scheme and host, no default port, no path)', () => {
    expect(parseCorsOrigin('HTTP://LOCALHOST:8888/', { field: 'origin' })).toEqual({ ok: true, value: 'http://localhost:8888' });
    expect(parseCorsOrigin('https://A.Example.com:443', { field: 'origin' })).toEqual({ ok: true, value: 'https://a.example.com' });
  });
});
