import { type Rule, type Violation } from '../../../errors';

/** The outcome of reading one raw input: the normal value, or every rule it breaks. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; violations: Violation[] };

/** Where a value came from (an input field, and its position in a list), so violations can name it. */
export interface FieldRef {
  field: string;
  index?: number;
}

/** An accepted value. */
export const accept = <T>(value: T): Parsed<T> => ({ ok: true, value });

/** A violation of `rule` at `at`; `index` is present only when `at` has one. */
export const violationAt = (at: FieldRef, rule: Rule, message: string): Violation =>
  at.index === undefined ? { field: at.field, rule, message } : { field: at.field, rule, message, index: at.index };

/** A refusal with a single violation. */
export const refuse = (at: FieldRef, rule: Rule, message: string): Parsed<never> => ({
  ok: false,
  violations: [violationAt(at, rule, message)],
});
