import fc from 'fast-check';
import {
  LIMITS,
  parseCorsOrigin,
  parseList,
  parseRedirectUrl,
  parseTag,
} from '../../../src/domain/client/values';
import { valueOf, violationsOf } from './parsedHelpers';

const urls = (count: number) => Array.from({ length: count }, (_, i) => `https://app.example.com/cb${i}`);

describe('parseList', () => {
  it('accepts an empty list', () => {
    expect(parseList([], parseRedirectUrl, { field: 'allowedLogoutRedirectUrls' }, 10)).toEqual({ ok: true, value: [] });
  });

  it('answers every item in its normal form, in the order given', () => {
    expect(
      parseList([' https://B.example.com/ ', 'http://localhost:3000'], parseCorsOrigin, { field: 'allowedCorsOrigins' }, 10),
    ).toEqual({ ok: true, value: ['https://b.example.com', 'http://localhost:3000'] });
  });

  it('drops duplicates, keeping the first occurrence and the order', () => {
    expect(
      parseList(
        ['https://a.example.com/cb', 'https://b.example.com/cb', ' https://a.example.com/cb', 'https://b.example.com/cb\n'],
        parseRedirectUrl,
        { field: 'allowedRedirectUrls' },
        10,
      ),
    ).toEqual({ ok: true, value: ['https://a.example.com/cb', 'https://b.example.com/cb'] });
  });

  it('treats origins with equal serialized forms as duplicates', () => {
    expect(
      parseList(
        ['https://example.com', 'HTTPS://EXAMPLE.COM:443/', 'https://example.com/', 'http://localhost:80', 'http://localhost'],
        parseCorsOrigin,
        { field: 'allowedCorsOrigins' },
        10,
      ),
    ).toEqual({ ok: true, value: ['https://example.com', 'http://localhost'] });
  });

  it('keeps redirect URLs that differ only in case, since they are matched exactly', () => {
    const value = valueOf(
      parseList(['https://app.example.com/CB', 'https://app.example.com/cb'], parseRedirectUrl, { field: 'allowedRedirectUrls' }, 10),
    );
    expect(value).toEqual(['https://app.example.com/CB', 'https://app.example.com/cb']);
  });

  it('accepts 10 items with max 10, and refuses 11 with tooMany and no index', () => {
    expect(valueOf(parseList(urls(10), parseRedirectUrl, { field: 'allowedRedirectUrls' }, LIMITS.redirectUrls))).toEqual(urls(10));
    expect(parseList(urls(11), parseRedirectUrl, { field: 'allowedRedirectUrls' }, LIMITS.redirectUrls)).toEqual({
      ok: false,
      violations: [
        {
          field: 'allowedRedirectUrls',
          rule: 'tooMany',
          message: 'At most 10 entries are allowed here (11 distinct entries were given)',
        },
      ],
    });
  });

  it('counts distinct entries only: 11 items with one duplicate are 10', () => {
    expect(valueOf(parseList([...urls(10), urls(10)[3]], parseRedirectUrl, { field: 'allowedRedirectUrls' }, 10))).toEqual(urls(10));
  });

  it('has the limits of DESIGN.md', () => {
    expect(LIMITS).toMatchObject({ redirectUrls: 10, logoutRedirectUrls: 10, corsOrigins: 10, tags: 20 });
    const tags = Array.from({ length: 21 }, (_, i) => `t${i}`);
    expect(valueOf(parseList(tags.slice(0, 20), parseTag, { field: 'tags' }, LIMITS.tags))).toHaveLength(20);
    expect(violationsOf(parseList(tags, parseTag, { field: 'tags' }, LIMITS.tags))).toEqual([
      expect.objectContaining({ field: 'tags', rule: 'tooMany' }),
    ]);
  });

  it('reports every bad item with its index, and the excess, at once', () => {
    const raws = [...urls(9), 'http://example.com/cb', 'https://a.example.com/#', 'https://a.example.com/#'];
    const violations = violationsOf(parseList(raws, parseRedirectUrl, { field: 'allowedLogoutRedirectUrls' }, 10));
    expect(violations).toEqual([
      { field: 'allowedLogoutRedirectUrls', index: 9, rule: 'redirectUrl', message: expect.stringMatching(/loopback/) },
      { field: 'allowedLogoutRedirectUrls', index: 10, rule: 'redirectUrl', message: expect.stringMatching(/fragment/) },
      { field: 'allowedLogoutRedirectUrls', index: 11, rule: 'redirectUrl', message: expect.stringMatching(/fragment/) },
      {
        field: 'allowedLogoutRedirectUrls',
        rule: 'tooMany',
        message: 'At most 10 entries are allowed here (11 distinct entries were given)',
      },
    ]);
    expect(violations[3]).not.toHaveProperty('index');
  });

  it('counts refused entries towards the limit, so the excess shows before they are corrected', () => {
    const violations = violationsOf(parseList([...urls(10), 'ftp://x'], parseRedirectUrl, { field: 'allowedRedirectUrls' }, 10));
    expect(violations.map((v) => [v.rule, v.index])).toEqual([
      ['redirectUrl', 10],
      ['tooMany', undefined],
    ]);
  });

  it('does not report tooMany for bad items alone when they fit', () => {
    const violations = violationsOf(parseList(['bad tag', 'ok', 'also bad!'], parseTag, { field: 'tags' }, 20));
    expect(violations.map((v) => [v.rule, v.index])).toEqual([
      ['tag', 0],
      ['tag', 2],
    ]);
  });

  it('answers distinct normal forms, first occurrences first, and refuses exactly the bad items', () => {
    const raw = fc.oneof(fc.constantFrom('a', 'b', ' a ', 'B', 'x y', '', 'c:d', 'é'), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(raw, { maxLength: 25 }), fc.integer({ min: 0, max: 12 }), (raws, max) => {
        const parsed = parseList(raws, parseTag, { field: 'tags' }, max);
        const items = raws.map((r, index) => ({ index, parsed: parseTag(r, { field: 'tags', index }) }));
        const good = [...new Set(items.flatMap((i) => (i.parsed.ok ? [i.parsed.value] : [])))];
        const bad = items.filter((i) => !i.parsed.ok);
        const distinct = good.length + new Set(bad.map((i) => raws[i.index].trim())).size;
        if (parsed.ok) {
          expect(parsed.value).toEqual(good);
          expect(bad).toHaveLength(0);
          expect(parsed.value.length).toBeLessThanOrEqual(max);
        } else {
          const indexed = parsed.violations.filter((v) => v.index !== undefined);
          expect(indexed.map((v) => v.index)).toEqual(bad.map((i) => i.index));
          expect(parsed.violations.some((v) => v.rule === 'tooMany')).toBe(distinct > max);
          expect(parsed.violations.every((v) => v.field === 'tags')).toBe(true);
        }
      }),
    );
  });
});
