import fc from 'fast-check';
import { LIMITS, parseTokenLifetime } from '../../../src/domain/client/values';
import { messageOf } from './parsedHelpers';

const at = { field: 'tokenLifetime' };

describe('parseTokenLifetime', () => {
  it.each([60, 61, 300, 3599, 3600])('accepts %d seconds', (seconds) => {
    expect(parseTokenLifetime(seconds, at)).toEqual({ ok: true, value: seconds });
  });

  it('has 3600 as its default, which it accepts', () => {
    expect(parseTokenLifetime(LIMITS.defaultTokenLifetime, at)).toEqual({ ok: true, value: 3600 });
  });

  it.each([59, 3601, 0, -60, 86400, Number.MAX_SAFE_INTEGER])('refuses %d seconds as out of range', (seconds) => {
    expect(parseTokenLifetime(seconds, at)).toEqual({
      ok: false,
      violations: [
        { field: 'tokenLifetime', rule: 'tokenLifetime', message: `Token lifetime must be between 60 and 3600 seconds (got ${seconds})` },
      ],
    });
  });

  it.each([60.5, 3599.999, NaN, Infinity, -Infinity, 1e-9])('refuses %d as not whole seconds', (seconds) => {
    expect(messageOf(parseTokenLifetime(seconds, at))).toBe(
      `Token lifetime must be a whole number of seconds between 60 and 3600 (got ${String(seconds)})`,
    );
  });

  it('refuses a value that is not a number at all', () => {
    expect(messageOf(parseTokenLifetime('600' as unknown as number, at))).toMatch(/whole number of seconds/);
  });

  it('names the field it was given', () => {
    expect(parseTokenLifetime(1, { field: 'seconds' })).toEqual({
      ok: false,
      violations: [expect.objectContaining({ field: 'seconds', rule: 'tokenLifetime' })],
    });
    expect(violationKeys(parseTokenLifetime(1, { field: 'seconds' }))).not.toContain('index');
  });

  it('accepts exactly the whole numbers from 60 to 3600', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.integer({ min: 0, max: 4000 })), (seconds) => {
        const parsed = parseTokenLifetime(seconds, at);
        expect(parsed.ok).toBe(Number.isInteger(seconds) && seconds >= 60 && seconds <= 3600);
        if (parsed.ok) expect(parsed.value).toBe(seconds);
      }),
    );
  });
});

const violationKeys = (parsed: ReturnType<typeof parseTokenLifetime>): string[] =>
  parsed.ok ? [] : Object.keys(parsed.violations[0]);
