import { LIMITS } from './limits';
import { type FieldRef, type Parsed, accept, refuse } from './parsed';
import {
  CONTROL_CHARACTER,
  INVISIBLE_FORMATTING,
  LONE_SURROGATE,
  VISIBLE_CHARACTER,
  codePointLength,
  describeCharacter,
  firstMatch,
} from './text';

/** Reads a client name: trimmed, 1..200 characters (code points), no control or invisible formatting characters, something visible. */
export const parseClientName = (raw: string, at: FieldRef): Parsed<string> => {
  const name = raw.trim();
  const max = LIMITS.nameLength;
  if (name === '') return refuse(at, 'name', `Name must not be empty; give 1 to ${max} characters`);
  const length = codePointLength(name);
  if (length > max) return refuse(at, 'name', `Name must be at most ${max} characters long (it has ${length})`);
  const control = firstMatch(name, CONTROL_CHARACTER);
  if (control !== undefined) {
    return refuse(at, 'name', `Name must not contain control characters (found ${describeCharacter(control)})`);
  }
  const invisible = firstMatch(name, INVISIBLE_FORMATTING);
  if (invisible !== undefined) {
    return refuse(
      at,
      'name',
      `Name must not contain invisible formatting or line separator characters (found ${describeCharacter(invisible)})`,
    );
  }
  const surrogate = firstMatch(name, LONE_SURROGATE);
  if (surrogate !== undefined) {
    return refuse(at, 'name', `Name must be valid Unicode text (found the unpaired surrogate ${describeCharacter(surrogate)})`);
  }
  if (!VISIBLE_CHARACTER.test(name)) return refuse(at, 'name', 'Name must contain at least one visible character');
  return accept(name);
};
