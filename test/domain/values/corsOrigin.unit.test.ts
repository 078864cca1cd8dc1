import fc from 'fast-check';
import { parseCorsOrigin } from '../../../src/domain/client/values';
import { messageOf } from './parsedHelpers';

const at = { field: 'allowedCorsOrigins', index: 0 };
const parse = (raw: string) => parseCorsOrigin(raw, at);
const FORM = 'give only scheme://host[:port], such as https://app.example.com';

describe('parseCorsOrigin', () => {
  describe('accepts, answering the serialized origin,', () => {
    it.each([
      ['https://example.com', 'https://example.com'],
      ['https://example.com/', 'https://example.com'],
      ['  https://app.example.com \n', 'https://app.example.com'],
      ['HTTPS://Example.COM:443/', 'https://example.com'],
      ['https://example.com:443', 'https://example.com'],
      ['https://example.com:8443', 'https://example.com:8443'],
      ['https://example.com:80', 'https://example.com:80'],
      ['http://localhost:80', 'http://localhost'],
      ['http://localhost:3000', 'http://localhost:3000'],
      ['http://LOCALHOST:3000/', 'http://localhost:3000'],
      ['http://localhost:443', 'http://localhost:443'],
      ['http://127.0.0.1:5173/', 'http://127.0.0.1:5173'],
      ['http://[::1]:8080', 'http://[::1]:8080'],
      ['http://[::1]', 'http://[::1]'],
      ['https://[2001:DB8::1]', 'https://[2001:db8::1]'],
      ['https://xn--bcher-kva.example', 'https://xn--bcher-kva.example'],
    ])('%j as %s', (raw, origin) => {
      expect(parse(raw)).toEqual({ ok: true, value: origin });
    });
  });

  describe('refuses', () => {
    it('with a violation naming the field, the index and the rule', () => {
      expect(parse('https://example.com/app')).toEqual({
        ok: false,
        violations: [
          {
            field: 'allowedCorsOrigins',
            index: 0,
            rule: 'corsOrigin',
            message: `CORS origin must not contain a path (found '/app'); ${FORM}`,
          },
        ],
      });
    });

    it.each([
      ['https://example.com/app', '/app'],
      ['https://example.com//', '//'],
      ['https://example.com/app/', '/app/'],
      ['https://example.com/a?b', '/a?b'],
    ])('%s, which has a path', (raw, path) => {
      expect(messageOf(parse(raw))).toBe(`CORS origin must not contain a path (found '${path}'); ${FORM}`);
    });

    it.each(['https://example.com?x=1', 'https://example.com/?x=1', 'https://example.com?'])('%s, which has a query', (raw) => {
      expect(messageOf(parse(raw))).toBe(`CORS origin must not contain a query ('?'); ${FORM}`);
    });

    it.each(['https://example.com#', 'https://example.com/#x', 'https://example.com/a#x', 'https://exa#mple.com'])(
      '%s, which has a fragment',
      (raw) => {
        expect(messageOf(parse(raw))).toBe(`CORS origin must not contain a fragment ('#'); ${FORM}`);
      },
    );

    it.each(['https://*.example.com', 'https://*', 'http://localhost:*'])('the wildcard %s', (raw) => {
      expect(messageOf(parse(raw))).toBe("CORS origin must not contain a wildcard ('*'); list each origin");
    });

    it.each(['https://user@example.com', 'https://user:pw@example.com', 'https://@example.com'])('the user info in %s', (raw) => {
      expect(messageOf(parse(raw))).toBe("CORS origin must not contain user info (a '@' before the host)");
    });

    it.each(['http://example.com', 'http://127.1', 'http://localhost.evil.com', 'http://0x7f000001:3000'])(
      'http on %s, which is not a loopback host as written',
      (raw) => {
        expect(messageOf(parse(raw))).toMatch(/^CORS origin may use http only on a loopback host written as localhost, 127\.0\.0\.1 or \[::1\]/);
      },
    );

    it.each(['*', 'null', '/', 'example.com', 'ftp://example.com', 'ws://localhost:3000', 'javascript:alert(1)', 'com.example.app://x'])(
      '%j, which is not an https or http origin',
      (raw) => {
        expect(messageOf(parse(raw))).toBe(
          `CORS origin must use https (or http on a loopback host: localhost, 127.0.0.1 or [::1]); ${FORM}`,
        );
      },
    );

    it('a host and port without a scheme', () => {
      expect(messageOf(parse('example.com:8080'))).toBe(
        "CORS origin must start with a scheme such as https://; 'example.com:8080' looks like a host and port without one",
      );
    });

    it.each([
      ['', 'CORS origin must not be empty'],
      ['  ', 'CORS origin must not be empty'],
      ['https://exa mple.com', 'CORS origin must not contain whitespace, control or invisible characters (found U+0020)'],
      ['https://example.com\t/', 'CORS origin must not contain whitespace, control or invisible characters (found U+0009)'],
      ['https:\\\\example.com', "CORS origin must not contain a backslash ('\\')"],
      ['https://example.com\\', "CORS origin must not contain a backslash ('\\')"],
      ['https:/example.com', "CORS origin must be written as https://host/...: '//' is missing after 'https:'"],
      ['https://', "CORS origin must have a host after 'https://'"],
      ['https://:8443', "CORS origin must have a host after 'https://'"],
      ['https://example.com:0', "CORS origin port must be a number from 1 to 65535 without leading zeros (found '0')"],
      ['https://example.com:', "CORS origin port must be a number from 1 to 65535 without leading zeros (found '')"],
      ['https://example.com:65536', "CORS origin port must be a number from 1 to 65535 without leading zeros (found '65536')"],
      ['https://0x7f000001', "CORS origin host '0x7f000001' is not written in its usual form; write it as '127.0.0.1'"],
      ['https://bücher.example', 'CORS origin host must be written in ASCII; use the punycode form (xn--...) of an international domain name'],
      ['https://exa_mple..com', "CORS origin host 'exa_mple..com' is not a valid host name or IP address"],
    ])('%j', (raw, message) => {
      expect(messageOf(parse(raw))).toBe(message);
    });

    it('an origin longer than 2048 characters', () => {
      expect(messageOf(parse(`https://${'a'.repeat(2041)}.com`))).toBe('CORS origin must be at most 2048 characters long (it has 2053)');
    });
  });

  describe('properties', () => {
    const anyCase = (text: string) =>
      fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((upper) =>
        [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''),
      );
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
    const host = fc.oneof(
      fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{2,6}$/)).map(([l, t]) => [...l, t].join('.')),
      fc.ipV4(),
      fc.constantFrom('localhost', '127.0.0.1', '[::1]', '[2001:db8::1]'),
    );
    const originLike = fc
      .tuple(
        fc.constantFrom('https', 'http'),
        host,
        fc.option(fc.oneof(fc.constantFrom(80, 443), fc.integer({ min: 1, max: 65535 })), { nil: undefined }),
        fc.constantFrom('', '/'),
      )
      .chain(([scheme, h, port, slash]) => anyCase(`${scheme}://${h}${port === undefined ? '' : `:${port}`}${slash}`));

    it('is idempotent: its answer reads back as itself', () => {
      fc.assert(
        fc.property(fc.oneof(originLike, fc.webUrl(), fc.string()), (raw) => {
          const parsed = parse(raw);
          if (parsed.ok) expect(parse(parsed.value)).toEqual(parsed);
        }),
        { numRuns: 1000 },
      );
    });

    it('answers the WHATWG serialized origin of what it accepts', () => {
      fc.assert(
        fc.property(originLike, (raw) => {
          const parsed = parse(raw);
          if (!parsed.ok) {
            expect(raw.toLowerCase()).toMatch(/^http:\/\/(?!localhost|127\.0\.0\.1[:/]|127\.0\.0\.1$|\[::1\])/);
            return;
          }
          expect(parsed.value).toBe(new URL(raw.trim()).origin);
          expect(parsed.value).toBe(parsed.value.toLowerCase());
          expect(parsed.value).not.toMatch(/^https:\/\/.*:443$|^http:\/\/.*:80$|\/$/);
        }),
      );
    });
  });
});
