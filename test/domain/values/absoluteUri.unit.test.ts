import fc from 'fast-check';
import { parseAbsoluteUri } from '../../../src/domain/client/values';
import { messageOf, valueOf } from './parsedHelpers';

const anyWebUrl = fc.webUrl({
  withFragments: true,
  withQueryParameters: true,
  authoritySettings: { withUserInfo: true, withPort: true, withIPv4: true, withIPv4Extended: true, withIPv6: true },
});
const at = { field: 'logoUri' };
const parse = (raw: string) => parseAbsoluteUri(raw, at);
const HTTPS_ONLY = /^URI must use https \(or http on a loopback host: localhost, 127\.0\.0\.1 or \[::1\]\); '.+:' is not allowed$/;

describe('parseAbsoluteUri', () => {
  it.each([
    'https://www.example.com',
    'https://www.example.com/',
    'https://cdn.example.com/logo.png?v=2',
    'https://www.example.com/about#team',
    'https://cdn.example.com/img/*.png',
    'HTTPS://WWW.Example.com/Logo.PNG',
    'https://www.example.com:8443/a%20b',
    'http://localhost:3000/logo.png',
    'http://127.0.0.1/logo.svg',
    'http://[::1]:8080/',
  ])('accepts %s unchanged', (uri) => {
    expect(parse(uri)).toEqual({ ok: true, value: uri });
  });

  it('trims', () => {
    expect(parse(' \thttps://www.example.com/ \n')).toEqual({ ok: true, value: 'https://www.example.com/' });
  });

  it('accepts 2048 characters and refuses 2049', () => {
    const base = 'https://cdn.example.com/';
    const uri = base + 'l'.repeat(2048 - base.length);
    expect(valueOf(parse(uri))).toBe(uri);
    expect(messageOf(parse(`${uri}l`))).toBe('URI must be at most 2048 characters long (it has 2049)');
  });

  it('refuses with a violation naming the field and the rule, and no index when none was given', () => {
    expect(parse('http://example.com/logo.png')).toEqual({
      ok: false,
      violations: [
        {
          field: 'logoUri',
          rule: 'uri',
          message: "URI may use http only on a loopback host written as localhost, 127.0.0.1 or [::1]; use https for 'example.com'",
        },
      ],
    });
  });

  it.each([
    ['javascript:alert(1)', 'javascript'],
    ['JavaScript:alert(1)', 'javascript'],
    ['data:image/png;base64,iVBORw0KGgo=', 'data'],
    ['file:///C:/logo.png', 'file'],
    ['vbscript:x', 'vbscript'],
  ])('refuses the dangerous scheme of %s', (uri, scheme) => {
    expect(messageOf(parse(uri))).toBe(`URI must not use the '${scheme}:' scheme`);
  });

  it.each(['ftp://example.com/logo.png', 'com.example.app:/x', 'mailto:admin@example.com', 'urn:isbn:123'])(
    'refuses %s, which is not https',
    (uri) => {
      expect(messageOf(parse(uri))).toMatch(HTTPS_ONLY);
    },
  );

  it.each([
    ['', 'URI must not be empty'],
    ['www.example.com', 'URI must be absolute, starting with https:// (such as https://www.example.com)'],
    ['/logo.png', 'URI must be absolute, starting with https:// (such as https://www.example.com)'],
    ['www.example.com:443/logo.png', "URI must start with a scheme such as https://; 'www.example.com:443/logo.png' looks like a host and port without one"],
    ['https://user:pw@www.example.com', "URI must not contain user info (a '@' before the host)"],
    ['https://@www.example.com', "URI must not contain user info (a '@' before the host)"],
    ['https:\\\\www.example.com', "URI must not contain a backslash ('\\')"],
    ['https://www.example.com/a b.png', 'URI must not contain whitespace, control or invisible characters (found U+0020)'],
    ['https://www.example.com/\u0000', 'URI must not contain whitespace, control or invisible characters (found U+0000)'],
    ['https:/www.example.com', "URI must be written as https://host/...: '//' is missing after 'https:'"],
    ['https:///logo.png', "URI must have a host after 'https://'"],
    ['http://127.1/logo.png', "URI may use http only on a loopback host written as localhost, 127.0.0.1 or [::1]; use https for '127.1'"],
    ['https://0x7f000001/logo.png', "URI host '0x7f000001' is not written in its usual form; write it as '127.0.0.1'"],
    ['https://www.example.com:0/', "URI port must be a number from 1 to 65535 without leading zeros (found '0')"],
    ['https://www.example.com/#a#b', "URI contains '#', which must be percent-encoded in a URL"],
    ['https://www.example.com/logo<1>.png', "URI contains '<', which must be percent-encoded in a URL"],
    ['https://www.example.com/%', "URI contains a '%' that does not start a percent-encoded byte (%XX)"],
  ])('refuses %j', (uri, message) => {
    expect(messageOf(parse(uri))).toBe(message);
  });

  it('answers only absolute https URLs, or http ones on a loopback host, as given apart from trimming', () => {
    fc.assert(
      fc.property(fc.oneof(anyWebUrl, fc.string()), (raw) => {
        const parsed = parse(raw);
        if (!parsed.ok) return;
        expect(parsed.value).toBe(raw.trim());
        const url = new URL(parsed.value);
        expect(url.username + url.password).toBe('');
        expect(url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)).toBe(true);
      }),
    );
  });
});
