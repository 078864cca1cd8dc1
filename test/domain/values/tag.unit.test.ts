import fc from 'fast-check';
import { parseTag } from '../../../src/domain/client/values';
import { messageOf, valueOf } from './parsedHelpers';

const at = { field: 'tags', index: 0 };

describe('parseTag', () => {
  it.each([
    ['prod', 'prod'],
    ['  team:payments \n', 'team:payments'],
    ['A-Z_a-z.0-9:x', 'A-Z_a-z.0-9:x'],
    ['x', 'x'],
    ['-', '-'],
  ])('accepts %j as %j', (raw, tag) => {
    expect(parseTag(raw, at)).toEqual({ ok: true, value: tag });
  });

  it('accepts 50 characters and refuses 51', () => {
    expect(valueOf(parseTag('t'.repeat(50), at))).toBe('t'.repeat(50));
    expect(messageOf(parseTag('t'.repeat(51), at))).toBe('Tag must be at most 50 characters long (it has 51)');
  });

  it.each([[''], ['   ']])('refuses the empty tag %j', (raw) => {
    expect(messageOf(parseTag(raw, at))).toMatch(/^Tag must not be empty/);
  });

  it.each([
    ['two words', "U+0020"],
    ['a/b', "'/'"],
    ['a,b', "','"],
    ['café', "'é'"],
    ['tag#1', "'#'"],
    ['x\ty', 'U+0009'],
    ['🚀', "'🚀'"],
  ])('refuses %j for its character %s', (raw, found) => {
    expect(parseTag(raw, at)).toEqual({
      ok: false,
      violations: [
        {
          field: 'tags',
          index: 0,
          rule: 'tag',
          message: `Tag may contain only letters A-Z and a-z, digits 0-9 and the characters _ . : - (found ${found})`,
        },
      ],
    });
  });

  it('accepts exactly 1..50 of A-Z a-z 0-9 _ . : - after trimming', () => {
    const tagLike = fc.string({ unit: fc.constantFrom(...'aZ09_.:- \t/é'), maxLength: 55 });
    fc.assert(
      fc.property(fc.oneof(tagLike, fc.string()), (raw) => {
        const parsed = parseTag(raw, at);
        expect(parsed.ok).toBe(/^[A-Za-z0-9_.:-]{1,50}$/.test(raw.trim()));
        if (parsed.ok) expect(parsed.value).toBe(raw.trim());
      }),
    );
  });
});
