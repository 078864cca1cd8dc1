import { ApiError, type Violation } from './api';

/** Where a violation belongs on a form: its field, and the list entry when it names one. */
export interface FieldKey {
  field: string;
  index?: number;
}

/**
 * The form field a violation is about. The domain names the field itself (`tokenLifetime`,
 * `allowedRedirectUrls` with an index); a variable GraphQL could not coerce names the variable
 * (`input`) and gives the path in its message (`at "input.tokenLifetime"`), which is used instead.
 */
export function fieldOf(violation: Violation): FieldKey {
  if (violation.rule === 'variables') {
    const path = /at "input\.([A-Za-z]+)(?:\[(\d+)\])?"/.exec(violation.message);
    if (path?.[1]) return path[2] === undefined ? { field: path[1] } : { field: path[1], index: Number(path[2]) };
  }
  return violation.index === undefined || violation.index === null
    ? { field: violation.field }
    : { field: violation.field, index: violation.index };
}

/** Violations sorted by where they belong, for a form to show each at its field. */
export class FieldProblems {
  private constructor(
    private readonly list: readonly Violation[],
    /** The message of an error that names no field (network, server, a rule of a field the form does not have). */
    readonly general: string | null,
  ) {}

  static none = new FieldProblems([], null);

  /** Sorts an error's violations; `fields` are the ones the form shows, the rest are general. */
  static of(error: unknown, fields: readonly string[]): FieldProblems {
    if (!(error instanceof ApiError)) return new FieldProblems([], error instanceof Error ? error.message : String(error));
    const placed = error.violations.filter((violation) => fields.includes(fieldOf(violation).field));
    const unplaced = error.violations.filter((violation) => !placed.includes(violation));
    const general =
      placed.length === 0 ? error.message : unplaced.length > 0 ? unplaced.map((violation) => violation.message).join(' ') : null;
    return new FieldProblems(placed, general);
  }

  /** Messages about a field as a whole (or, with `index`, one of its list entries). */
  at(field: string, index?: number): string[] {
    return this.list
      .filter((violation) => {
        const key = fieldOf(violation);
        return key.field === field && key.index === index;
      })
      .map((violation) => violation.message);
  }

  /** The fields with messages, each once, in the order the API reported them. */
  get fields(): string[] {
    return [...new Set(this.list.map((violation) => fieldOf(violation).field))];
  }

  get isEmpty(): boolean {
    return this.list.length === 0 && this.general === null;
  }
}
