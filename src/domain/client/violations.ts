import { type Violation } from '../../errors';
import { type Parsed } from './values';

/** Gathers the violations of many parses, so every broken rule of a command is reported at once. */
export class Violations {
  readonly list: Violation[] = [];

  /** The parsed value, or `undefined` after noting why it was refused. */
  take<T>(parsed: Parsed<T>): T | undefined {
    if (parsed.ok) return parsed.value;
    this.list.push(...parsed.violations);
    return undefined;
  }

  add(violation: Violation): void {
    this.list.push(violation);
  }
}
