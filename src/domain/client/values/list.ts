import { type Violation } from '../../../errors';
import { type FieldRef, type Parsed, accept, violationAt } from './parsed';

/**
 * Reads a list: every item with its index, duplicates (equal normal forms) dropped keeping the
 * first, at most `max` distinct entries; reports every bad item and the excess at once.
 */
export const parseList = (
  raws: readonly string[],
  parseItem: (raw: string, at: FieldRef) => Parsed<string>,
  at: { field: string },
  max: number,
): Parsed<string[]> => {
  const values: string[] = [];
  const seen = new Set<string>();
  const refused = new Set<string>();
  const violations: Violation[] = [];
  raws.forEach((raw, index) => {
    const parsed = parseItem(raw, { field: at.field, index });
    if (!parsed.ok) {
      violations.push(...parsed.violations);
      refused.add(raw.trim());
    } else if (!seen.has(parsed.value)) {
      seen.add(parsed.value);
      values.push(parsed.value);
    }
  });
  // A refused entry still counts: once corrected it would be one more, so the excess shows now.
  const distinct = seen.size + refused.size;
  if (distinct > max) {
    violations.push(
      violationAt({ field: at.field }, 'tooMany', `At most ${max} entries are allowed here (${distinct} distinct entries were given)`),
    );
  }
  return violations.length === 0 ? accept(values) : { ok: false, violations };
};
