import fc from 'fast-check';
import { parseRedirectUrl } from '../../../src/domain/client/values';
import { normalUrl } from '../../../src/domain/client/values/normalForm';
import { messageOf, valueOf } from './parsedHelpers';

const anyWebUrl = fc.webUrl({
  withFragments: true,
  withQueryParameters: true,
  authoritySettings: { withUserInfo: true, withPort: true, withIPv4: true, withIPv4Extended: true, withIPv6: true },
});
const at = { field: 'allowedRedirectUrls', index: 1 };
const parse = (raw: string) => parseRedirectUrl(raw, at);
const ALLOWED_FORMS = /use https:\/\/, http:\/\/ only on a loopback host .*com\.example\.app:\/callback/;

describe('parseRedirectUrl', () => {
  describe('accepts', () => {
    it.each([
      'https://app.example.com/cb',
      'https://app.example.com/',
      'https://app.example.com:8443/auth/callback?tenant=acme&x=1',
      'https://app.example.com/cb?state=a%20b',
      'https://127.0.0.1/cb',
      'https://[2001:db8::1]:8443/cb',
      'https://xn--bcher-kva.example/cb',
      'https://my_host.example.com./cb',
      'https://app.example.com/a@b/c:d',
    ])('the https URL %s unchanged', (url) => {
      expect(parse(url)).toEqual({ ok: true, value: url });
    });

    it.each([
      'http://localhost:3000/cb',
      'http://localhost/cb',
      'http://127.0.0.1:8080/cb',
      'http://[::1]/cb',
      'http://[::1]:49152/callback?x=1',
    ])('the http URL %s on a loopback host', (url) => {
      expect(parse(url)).toEqual({ ok: true, value: url });
    });

    // Since registration stores the RFC 3986 §6.2.2 normal form (these were answered as given before).
    it.each([
      ['HTTPS://App.Example.COM/Callback', 'https://app.example.com/Callback'],
      ['https://app.example.com:443/cb', 'https://app.example.com/cb'],
      ['https://app.example.com', 'https://app.example.com/'],
      ['http://localhost', 'http://localhost/'],
      ['http://LocalHost:3000/cb', 'http://localhost:3000/cb'],
      ['HTTP://LOCALHOST:5173/', 'http://localhost:5173/'],
      ['HTTP://LOCALHOST:8888/cb', 'http://localhost:8888/cb'],
      ['http://localhost:80/cb', 'http://localhost/cb'],
      ['https://a.example.com/x/../cb', 'https://a.example.com/cb'],
      ['https://a.example.com/./a/./b/../../cb', 'https://a.example.com/cb'],
      ['https://a.example.com/../cb', 'https://a.example.com/cb'],
      ['https://a.example.com/%7Euser/%2e%2E/cb', 'https://a.example.com/cb'],
      ['https://a.example.com/%7euser/c%2fb?q=%3d%41', 'https://a.example.com/~user/c%2Fb?q=%3DA'],
      ['https://a.example.com/cb?next=/x/../y', 'https://a.example.com/cb?next=/x/../y'],
      ['Com.Example.App:/cb', 'com.example.app:/cb'],
      ['COM.EXAMPLE.APP:/a/../Cb', 'com.example.app:/Cb'],
      ['com.example.app://Host/cb', 'com.example.app://host/cb'],
    ])('%s in its normal form %s', (url, normal) => {
      expect(parse(url)).toEqual({ ok: true, value: normal });
    });

    it.each([
      'com.example.app:/callback',
      'com.example.app://callback',
      'com.example.app:/oauth2redirect/example-provider',
      'com.example.my-app:/cb?x=1',
      'io.github.some-user.app:/auth',
      'com.example.app:callback',
      'com.example.app:///cb',
    ])('the native app URL %s with a reverse-domain private-use scheme', (url) => {
      expect(parse(url)).toEqual({ ok: true, value: url });
    });

    it('the URL trimmed, and otherwise as given', () => {
      expect(parse('  https://app.example.com/cb \t\r\n')).toEqual({ ok: true, value: 'https://app.example.com/cb' });
    });

    it('2048 characters, but not 2049', () => {
      const base = 'https://app.example.com/';
      const url = base + 'a'.repeat(2048 - base.length);
      expect(url).toHaveLength(2048);
      expect(valueOf(parse(url))).toBe(url);
      expect(messageOf(parse(`${url}a`))).toBe('Redirect URL must be at most 2048 characters long (it has 2049)');
      expect(valueOf(parse(`  ${url}  `))).toBe(url);
    });
  });

  describe('refuses', () => {
    it('with a violation naming the field, the index and the rule', () => {
      expect(parse('https://app.example.com/cb#')).toEqual({
        ok: false,
        violations: [
          {
            field: 'allowedRedirectUrls',
            index: 1,
            rule: 'redirectUrl',
            message: "Redirect URL must not contain a fragment ('#') (RFC 6749 §3.1.2)",
          },
        ],
      });
      expect(parseRedirectUrl('x', { field: 'url' })).toEqual({
        ok: false,
        violations: [{ field: 'url', rule: 'redirectUrl', message: expect.any(String) }],
      });
    });

    it.each(['', '   ', '\n\t'])('the empty URL %j', (raw) => {
      expect(messageOf(parse(raw))).toBe('Redirect URL must not be empty');
    });

    it.each([
      'https://app.example.com/cb#',
      'https://app.example.com/cb#x',
      'https://app.example.com/#/callback',
      'https://app.example.com#',
      'http://localhost:3000/cb#x',
      'com.example.app:/cb#x',
    ])('the fragment in %s', (url) => {
      expect(messageOf(parse(url))).toBe("Redirect URL must not contain a fragment ('#') (RFC 6749 §3.1.2)");
    });

    it.each([
      'https://*.example.com/cb',
      'https://app.example.com/*',
      'https://app.example.com/cb?x=*',
      'https://*/cb',
      'com.example.app:/*',
      'http://localhost:*/cb',
    ])('the wildcard in %s', (url) => {
      // Stricter than products that allow patterns, so the message names the rule.
      expect(messageOf(parse(url))).toBe(
        "Redirect URL must not contain a wildcard ('*'); register each URL exactly (RFC 9700 §2.1 and §4.1.3: redirect URIs are compared by exact string matching, never by pattern)",
      );
    });

    it.each([
      'https://user:pass@app.example.com/cb',
      'https://user@app.example.com/cb',
      'https://@app.example.com/cb',
      'https://:@app.example.com/cb',
      'https://app.example.com@evil.example/cb',
      'http://localhost@evil.example/cb',
      'com.example.app://user@callback',
    ])('the user info in %s', (url) => {
      expect(messageOf(parse(url))).toBe(
        "Redirect URL must not contain user info (a '@' before the host): RFC 3986 §3.2.1 deprecates it and §7.6 shows how it disguises the real host",
      );
    });

    it.each([
      ['javascript:alert(1)', 'javascript'],
      ['JavaScript:alert(document.cookie)', 'javascript'],
      ['JAVASCRIPT://%0aalert(1)', 'javascript'],
      ['data:text/html,<script>alert(1)</script>', 'data'],
      ['DaTa:text/html;base64,PHNjcmlwdD4=', 'data'],
      ['file:///etc/passwd', 'file'],
      ['FILE://host/share', 'file'],
      ['vbscript:msgbox(1)', 'vbscript'],
      ['VBScript:msgbox(1)', 'vbscript'],
    ])('the dangerous scheme of %s', (url, scheme) => {
      expect(messageOf(parse(url))).toBe(`Redirect URL must not use the '${scheme}:' scheme`);
    });

    it.each([
      ['myapp:/cb', 'myapp'],
      ['myapp://callback', 'myapp'],
      ['ftp://example.com/cb', 'ftp'],
      ['ws://localhost/cb', 'ws'],
      ['wss://app.example.com/cb', 'wss'],
      ['about:blank', 'about'],
      ['blob:https://app.example.com/x', 'blob'],
      ['intent://cb', 'intent'],
    ])('%s, whose scheme is neither https, http on loopback nor a reverse domain', (url, scheme) => {
      const message = messageOf(parse(url));
      expect(message).toMatch(new RegExp(`^Redirect URL scheme '${scheme}:' is not allowed \\(RFC 8252 §7\\.1: .*it contains a dot\\); `));
      expect(message).toMatch(ALLOWED_FORMS);
    });

    it.each(['com..app:/cb', 'com.example.:/cb', 'com.-example.app:/cb', 'com.exa+mple.app:/cb', 'com.example-.app:/cb'])(
      'the malformed reverse-domain scheme of %s',
      (url) => {
        expect(messageOf(parse(url))).toMatch(/is not a reverse domain name such as com\.example\.app \(RFC 8252 §7\.1: /);
      },
    );

    it('a native app scheme with nothing after it', () => {
      expect(messageOf(parse('com.example.app:'))).toBe(
        "Redirect URL must continue after 'com.example.app:', for example com.example.app:/callback",
      );
    });

    it.each([
      'http://example.com/cb',
      'http://app.example.com:3000/cb',
      'http://127.1/cb',
      'http://127.0.0.01/cb',
      'http://0x7f000001/cb',
      'http://2130706433/cb',
      'http://0177.0.0.1/cb',
      'http://localhost.evil.com/cb',
      'http://localhost./cb',
      'http://127.0.0.2/cb',
      'http://[0:0:0:0:0:0:0:1]/cb',
      'http://[::ffff:127.0.0.1]/cb',
      'http://evil.com#@localhost/cb',
    ])('http on the host of %s, which is not written as a loopback host', (url) => {
      expect(messageOf(parse(url))).toMatch(
        /^(Redirect URL may use http only on a loopback host written as localhost, 127\.0\.0\.1 or \[::1\]; use https for '.+'|Redirect URL must not contain a fragment .*)$/,
      );
    });

    it('http on a look-alike of loopback with the https advice', () => {
      expect(messageOf(parse('http://127.1/cb'))).toBe(
        "Redirect URL may use http only on a loopback host written as localhost, 127.0.0.1 or [::1]; use https for '127.1'",
      );
    });

    it.each([
      ['https://0x7f000001/cb', '127.0.0.1'],
      ['https://127.1/cb', '127.0.0.1'],
      ['https://[0:0:0:0:0:0:0:1]/cb', '[::1]'],
      ['https://0300.0250.0.1/cb', '192.168.0.1'],
    ])('the host of %s that WHATWG would rewrite', (url, canonical) => {
      expect(messageOf(parse(url))).toMatch(new RegExp(`is not written in its usual form; write it as '${canonical.replace(/[[\].]/g, '\\$&')}'$`));
    });

    it.each(['https:\\\\evil.com', 'https://app.example.com\\cb', 'https:/\\evil.com/cb', 'http://localhost\\@evil.com'])(
      'the backslash in %s',
      (url) => {
        expect(messageOf(parse(url))).toBe("Redirect URL must not contain a backslash ('\\')");
      },
    );

    it.each([
      ['https://app example.com/cb', 'U+0020'],
      ['https://app.example.com/c b', 'U+0020'],
      ['https://app.example.com/\tcb', 'U+0009'],
      ['https://app.example.com/\ncb', 'U+000A'],
      ['https://app.example.com/cb\u0000', 'U+0000'],
      ['https://app.example.com/\u007fcb', 'U+007F'],
      ['https://app.example.com/\u00a0cb', 'U+00A0'],
      ['https://app.example\u200b.com/cb', 'U+200B'],
      ['https://app.example.com/\u202ecb', 'U+202E'],
      ['https://app.example.com/\u2028cb', 'U+2028'],
      ['java\tscript:alert(1)', 'U+0009'],
    ])('the whitespace, control or invisible character in %j', (url, code) => {
      expect(messageOf(parse(url))).toBe(
        `Redirect URL must not contain whitespace, control or invisible characters (found ${code})`,
      );
    });

    it.each(['https:/app.example.com/cb', 'https:app.example.com/cb', 'http:localhost:3000/cb', 'HTTPS:/app.example.com'])(
      '%s, which lacks the explicit // authority',
      (url) => {
        expect(messageOf(parse(url))).toMatch(/must be written as https?:\/\/host\/\.\.\.: '\/\/' is missing after '.+:'$/);
      },
    );

    it.each(['https://', 'https:///cb', 'https://:443/cb', 'https://?x', 'http:///localhost/cb'])('%s, which has no host', (url) => {
      expect(messageOf(parse(url))).toMatch(/^Redirect URL must have a host after 'https?:\/\/'$/);
    });

    it.each([
      'https://app.example.com:/cb',
      'https://app.example.com:0/cb',
      'https://app.example.com:0443/cb',
      'https://app.example.com:65536/cb',
      'https://app.example.com:99999999/cb',
      'https://app.example.com:8o80/cb',
      'https://app.example.com:80:80/cb',
      'http://[::1]:/cb',
    ])('the port of %s', (url) => {
      expect(messageOf(parse(url))).toMatch(/^Redirect URL port must be a number from 1 to 65535 without leading zeros/);
    });

    it.each([
      'https://app..example.com/cb',
      'https://.example.com/cb',
      'https://exa%6dple.com/cb',
      'https://exa"mple.com/cb',
      'https://[::1/cb',
      'https://[::1]x/cb',
      'https://[v1.fe80::a]/cb',
      'https://ex!ample.com/cb',
    ])('the malformed host of %s', (url) => {
      expect(messageOf(parse(url))).toMatch(/^Redirect URL host '.*' is not a valid host name or IP address$/);
    });

    it('a host not written in ASCII', () => {
      expect(messageOf(parse('https://bücher.example/cb'))).toBe(
        'Redirect URL host must be written in ASCII; use the punycode form (xn--...) of an international domain name',
      );
    });

    it.each(['https://xn--/cb', 'https://app.example.1/cb'])('%s, which WHATWG does not parse', (url) => {
      expect(messageOf(parse(url))).toBe('Redirect URL is not a valid URL');
    });

    it.each([
      ['https://app.example.com/café', "'é'"],
      ['https://app.example.com/<script>', "'<'"],
      ['https://app.example.com/a"b', `'"'`],
      ['https://app.example.com/a{b}', "'{'"],
      ['https://app.example.com/a|b', "'|'"],
      ['https://app.example.com/a^b', "'^'"],
      ['https://app.example.com/a`b', "'`'"],
      ['https://app.example.com/a[0]', "'['"],
      ['com.example.app:/über', "'ü'"],
    ])('%s, which holds %s unencoded', (url, found) => {
      expect(messageOf(parse(url))).toBe(`Redirect URL contains ${found}, which must be percent-encoded in a URL`);
    });

    it.each(['https://app.example.com/a%zz', 'https://app.example.com/a%2', 'https://app.example.com/100%', 'com.example.app:/%'])(
      'the broken percent-encoding in %s',
      (url) => {
        expect(messageOf(parse(url))).toBe("Redirect URL contains a '%' that does not start a percent-encoded byte (%XX)");
      },
    );

    it.each(['app.example.com/cb', '/cb', '//app.example.com/cb', 'cb', '1https://app.example.com/cb', '.com.example.app:/cb'])(
      'the relative URL %s',
      (url) => {
        expect(messageOf(parse(url))).toBe(
          'Redirect URL must be absolute, starting with a scheme (such as https://app.example.com/callback)',
        );
      },
    );

    it.each(['localhost:3000/cb', 'app.example.com:8443/cb', 'com.example.app:8080'])(
      '%s, a host and port without a scheme',
      (url) => {
        expect(messageOf(parse(url))).toBe(
          `Redirect URL must start with a scheme such as https://; '${url}' looks like a host and port without one`,
        );
      },
    );
  });

  describe('properties', () => {
    const fragments = [
      'https://', 'http://', 'HTTPS://', 'com.example.app:', 'com.example.app://', 'myapp:', 'javascript:',
      'localhost', '127.0.0.1', '[::1]', 'app.example.com', 'LOCALHOST', '127.1', '@', '#', '*', '/', '//',
      '?', ':', ':8080', ':0', '\\', ' ', '%', '%41', '%4', 'user', '.', 'é', '[', ']', 'cb', 'x=1', '&',
    ];
    const urlLike = fc.oneof(
      fc.array(fc.constantFrom(...fragments), { maxLength: 10 }).map((parts) => parts.join('')),
      anyWebUrl,
      fc.string({ maxLength: 40 }),
    );
    const padded = fc
      .tuple(fc.constantFrom('', ' ', '\t', '\n '), urlLike, fc.constantFrom('', ' ', '\r\n'))
      .map(([before, url, after]) => before + url + after);

    it('answers an accepted URL in its normal form, without fragment, wildcard or user info', () => {
      fc.assert(
        fc.property(padded, (raw) => {
          const parsed = parse(raw);
          if (!parsed.ok) {
            expect(parsed.violations).toEqual([
              { field: 'allowedRedirectUrls', index: 1, rule: 'redirectUrl', message: expect.any(String) },
            ]);
            return;
          }
          const url = parsed.value;
          expect(url).toBe(normalUrl(raw.trim()));
          expect(normalUrl(url)).toBe(url);
          expect(url).not.toMatch(/[#*\\\s]/);
          expect(url).not.toMatch(/^[a-z][a-z0-9+.-]*:\/\/[^/?]*@/i);
          const parsedUrl = new URL(url);
          if (parsedUrl.protocol === 'http:') expect(['localhost', '127.0.0.1', '[::1]']).toContain(parsedUrl.hostname);
          if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') expect(parsedUrl.protocol).toMatch(/\./);
          expect(parse(url)).toEqual(parsed);
        }),
        { numRuns: 2000 },
      );
    });

    // Not an A-label (xn--): most of those are not valid punycode, and WHATWG refuses them.
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/).filter((text) => !text.startsWith('xn--'));
    const host = fc
      .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{2,6}$/))
      .map(([labels, tld]) => [...labels, tld].join('.'));
    const noWildcard = (text: string) => !text.includes('*');
    // What the normal form would rewrite: dot segments and percent-encoding (covered above).
    const plainSegment = (segment: string) => noWildcard(segment) && !segment.includes('%') && segment !== '.' && segment !== '..';

    it('accepts every well-formed https URL already in normal form unchanged', () => {
      const httpsUrl = fc
        .tuple(
          host,
          fc.option(fc.integer({ min: 1, max: 65535 }).filter((port) => port !== 443), { nil: undefined }),
          fc.array(fc.webSegment().filter(plainSegment), { maxLength: 4 }),
          fc.option(fc.webQueryParameters().filter((query) => noWildcard(query) && !query.includes('%')), { nil: undefined }),
        )
        .map(
          ([h, port, segments, query]) =>
            `https://${h}${port === undefined ? '' : `:${port}`}/${segments.join('/')}${query === undefined ? '' : `?${query}`}`,
        );
      fc.assert(
        fc.property(httpsUrl, (url) => {
          expect(parse(url)).toEqual({ ok: true, value: url });
        }),
      );
    });
  });
});
