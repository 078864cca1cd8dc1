import fc from 'fast-check';
import { parseClientName } from '../../../src/domain/client/values';
import { messageOf, valueOf } from './parsedHelpers';

const at = { field: 'name' };

describe('parseClientName', () => {
  it.each([
    ['My SPA', 'My SPA'],
    ['  My SPA \t\n', 'My SPA'],
    ['x', 'x'],
    ['Café – Kundenportal (prod)', 'Café – Kundenportal (prod)'],
    ['日本語のアプリ', '日本語のアプリ'],
    ['Rocket 🚀', 'Rocket 🚀'],
    ['Family 👨‍👩‍👧', 'Family 👨‍👩‍👧'],
  ])('accepts %j as %j', (raw, name) => {
    expect(parseClientName(raw, at)).toEqual({ ok: true, value: name });
  });

  it.each([[''], ['   '], ['\t\n']])('refuses the empty name %j', (raw) => {
    expect(parseClientName(raw, at)).toEqual({
      ok: false,
      violations: [{ field: 'name', rule: 'name', message: 'Name must not be empty; give 1 to 200 characters' }],
    });
  });

  it('accepts 200 characters and refuses 201', () => {
    expect(valueOf(parseClientName('a'.repeat(200), at))).toHaveLength(200);
    expect(messageOf(parseClientName('a'.repeat(201), at))).toBe('Name must be at most 200 characters long (it has 201)');
  });

  it('counts an emoji as one character, not two UTF-16 units', () => {
    const emoji = '😀'.repeat(200);
    expect(emoji.length).toBe(400);
    expect(valueOf(parseClientName(emoji, at))).toBe(emoji);
    expect(messageOf(parseClientName(`${emoji}😀`, at))).toMatch(/at most 200 characters long \(it has 201\)/);
  });

  it('does not count the spaces that are trimmed', () => {
    expect(valueOf(parseClientName(`  ${'a'.repeat(200)}  `, at))).toBe('a'.repeat(200));
  });

  it.each([
    ['My\u0000SPA', 'U+0000'],
    ['My\u0007SPA', 'U+0007'],
    ['My\nSPA', 'U+000A'],
    ['My\tSPA', 'U+0009'],
    ['My\u001bSPA', 'U+001B'],
    ['My\u007fSPA', 'U+007F'],
    ['My\u0085SPA', 'U+0085'],
    ['My\u009fSPA', 'U+009F'],
  ])('refuses the control character in %j', (raw, code) => {
    expect(messageOf(parseClientName(raw, at))).toBe(`Name must not contain control characters (found ${code})`);
  });

  it('refuses text that is not valid Unicode', () => {
    expect(messageOf(parseClientName('My \ud800 SPA', at))).toMatch(/valid Unicode text .*U\+D800/);
  });

  it('names the index it was given', () => {
    expect(parseClientName('', { field: 'names', index: 2 })).toEqual({
      ok: false,
      violations: [expect.objectContaining({ field: 'names', index: 2, rule: 'name' })],
    });
  });

  it('accepts exactly the trimmed names of 1..200 code points without control or invisible formatting characters, with something visible', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 210 }), fc.string({ maxLength: 210 })), (raw) => {
        const parsed = parseClientName(raw, at);
        const name = raw.trim();
        const length = [...name].length;
        const expected =
          length >= 1 &&
          length <= 200 &&
          !/\p{Cc}/u.test(name) &&
          !/\p{Cs}/u.test(name) &&
          ![...name].some((char) => /[\p{Cf}\p{Zl}\p{Zp}]/u.test(char) && char !== '\u200C' && char !== '\u200D') &&
          /[\p{L}\p{N}\p{P}\p{S}]/u.test(name);
        expect(parsed.ok).toBe(expected);
        if (parsed.ok) {
          expect(parsed.value).toBe(name);
          expect(parseClientName(parsed.value, at)).toEqual(parsed);
        } else {
          expect(parsed.violations).toEqual([{ field: 'name', rule: 'name', message: expect.any(String) }]);
        }
      }),
    );
  });
});

describe('parseClientName: what a name shows is what it is', () => {
  it.each([
    ['zero-width space alone', '\u200B'],
    ['right-to-left override', 'Portal\u202Egnp.exe'],
    ['line separator', 'Portal\u2028line2'],
    ['paragraph separator', 'Portal\u2029more'],
    ['byte order mark', 'Por\uFEFFtal'],
    ['bidi isolate', 'Portal\u2066x\u2069'],
    ['only joiners', '\u200D\u200C'],
  ])('refuses a name with %s', (_case, raw) => {
    const parsed = parseClientName(raw, at);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.violations).toEqual([expect.objectContaining({ field: 'name', rule: 'name' })]);
  });

  it.each([['family emoji with joiners', '👨‍👩‍👧 Family'], ['Persian with a zero-width non-joiner', 'می‌خواهم'], ['one symbol', '✓']])(
    'accepts %s',
    (_case, raw) => {
      expect(parseClientName(raw, at)).toEqual({ ok: true, value: raw });
    },
  );
});
