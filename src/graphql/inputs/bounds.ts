import { ArrayMaxSize, MaxLength } from 'class-validator';
import { type Rule } from '../../errors';

/** The rule a decorator's refusal is reported as (read back by wireError.ts from class-validator's `contexts`). */
const context = (rule: Rule) => ({ rule });

/** At most `max` entries in a list argument, refused as the domain refuses a long list: rule `tooMany`. */
export const MaxEntries = (max: number): PropertyDecorator =>
  ArrayMaxSize(max, {
    message: ({ value }) => `At most ${max} entries are allowed here (${Array.isArray(value) ? value.length : 0} were given)`,
    context: context('tooMany'),
  });

/** At most `max` characters of search text: rule `search`, counted in characters as names are. */
export const MaxSearchLength = (max: number): PropertyDecorator =>
  MaxLength(max, {
    message: ({ value }) => `Search must be at most ${max} characters long (it has ${typeof value === 'string' ? [...value].length : 0})`,
    context: context('search'),
  });
