import { createHeadTracker } from '../../projections/lag';
import { ANONYMOUS_OPERATION, OTHER_OPERATION, createOperationLabels } from '../../src/metrics';

const at = (n: number) => ({ commit: BigInt(n), prepare: BigInt(n) });

describe('the head tracker behind projection_lag_seconds', () => {
  it('answers how long ago the store first held an event past a checkpoint, and 0 when there is none', () => {
    const heads = createHeadTracker();
    expect(heads.head()).toBeNull();
    heads.saw(at(5), 1_000);
    heads.saw(at(4), 1_500); // older than the head: ignored
    heads.saw(at(9), 3_000);
    expect(heads.head()).toEqual(at(9));
    expect(heads.secondsBehind(at(3), 7_000)).toBe(6);
    expect(heads.secondsBehind(at(5), 7_000)).toBe(4);
    expect(heads.secondsBehind(at(9), 7_000)).toBe(0);
    expect(heads.secondsBehind(null, 7_000)).toBe(6);
    heads.forgetUpTo(at(5));
    expect(heads.secondsBehind(at(3), 7_000)).toBe(4);
    heads.forgetUpTo(at(9));
    expect(heads.head()).toEqual(at(9));
  });
});

describe('the operation-name label', () => {
  it('keeps the first names seen, up to the bound, and counts the rest, and non-names, as __other', () => {
    const label = createOperationLabels(3);
    expect(label(undefined)).toBe(ANONYMOUS_OPERATION);
    expect(label('')).toBe(ANONYMOUS_OPERATION);
    expect(['A', 'B', 'C', 'A'].map(label)).toEqual(['A', 'B', 'C', 'A']);
    expect(label('D')).toBe(OTHER_OPERATION);
    expect(label('with space')).toBe(OTHER_OPERATION);
    expect(label('x'.repeat(65))).toBe(OTHER_OPERATION);
    expect(label('C')).toBe('C');
  });
});
