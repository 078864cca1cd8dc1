import { ArrayMaxSize, ValidateBy } from 'class-validator';
import { type Rule } from '../../errors';

/** The rule a decorator's refusal is reported as (read back by wireError.ts from class-validator's `contexts`). */
const context = (rule: Rule) => ({ rule });

/** At most `max` entries in a list argument, refused as the domain refuses a long list: rule `tooMany`. */
export const MaxEntries = (max: number): PropertyDecorator =>
  ArrayMaxSize(max, {
    message: ({ value }) => `At most ${max} entries are allowed here (${Array.isArray(value) ? value.length : 0} were given)`,
    context: context('tooMany'),
  });

/** Characters (code points) of a text, as the domain counts a name's. */
const characters = (value: unknown): number => (typeof value === 'string' ? [...value].length : 0);

/** At most `max` characters of search text: rule `search`, checked and reported with the same count. */
export const MaxSearchLength = (max: number): PropertyDecorator =>
  ValidateBy(
    {
      name: 'maxSearchLength',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || characters(value) <= max,
        defaultMessage: (args) => `Search must be at most ${max} characters long (it has ${characters(args?.value)})`,
      },
    },
    { context: context('search') },
  );
