import { parseReason } from '../../../src/domain/client/values';
import { messageOf, valueOf } from './parsedHelpers';

const at = { field: 'reason' };

describe('parseReason', () => {
  it.each([
    ['Ticket OPS-42', 'Ticket OPS-42'],
    ['  trimmed \n', 'trimmed'],
    ['line one\nline two', 'line one\nline two'],
    ['col\tumn', 'col\tumn'],
    ['Windows\r\nline breaks', 'Windows\nline breaks'],
    ['Grüße 👋', 'Grüße 👋'],
  ])('accepts %j as %j', (raw, reason) => {
    expect(parseReason(raw, at)).toEqual({ ok: true, value: reason });
  });

  it.each([[''], [' \n\t ']])('refuses the empty reason %j', (raw) => {
    expect(parseReason(raw, at)).toEqual({
      ok: false,
      violations: [
        { field: 'reason', rule: 'reason', message: 'Reason must not be empty; give 1 to 1000 characters or leave it out' },
      ],
    });
  });

  it('accepts 1000 characters and refuses 1001, counting code points', () => {
    expect(valueOf(parseReason('r'.repeat(1000), at))).toHaveLength(1000);
    expect(valueOf(parseReason('👋'.repeat(1000), at))).toHaveLength(2000);
    expect(messageOf(parseReason('r'.repeat(1001), at))).toBe('Reason must be at most 1000 characters long (it has 1001)');
  });

  it.each([
    ['a\u0000b', 'U+0000'],
    ['a\rb', 'U+000D'],
    ['a\u000bb', 'U+000B'],
    ['a\u001bb', 'U+001B'],
    ['a\u0085b', 'U+0085'],
  ])('refuses the control character in %j', (raw, code) => {
    expect(messageOf(parseReason(raw, at))).toBe(
      `Reason must not contain control characters other than line breaks and tabs (found ${code})`,
    );
  });

  it('refuses text that is not valid Unicode', () => {
    expect(messageOf(parseReason('a\udc00b', at))).toMatch(/valid Unicode text/);
  });
});
