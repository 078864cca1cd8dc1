import { LIMITS } from './limits';
import { type FieldRef, type Parsed, accept, refuse } from './parsed';
import { codePointLength, describeCharacter, firstMatch } from './text';

const NOT_TAG_CHARACTER = /[^A-Za-z0-9_.:-]/u;
const ALLOWED = 'letters A-Z and a-z, digits 0-9 and the characters _ . : -';

/** Reads a tag: trimmed, 1..50 of `A-Z a-z 0-9 _ . : -`. */
export const parseTag = (raw: string, at: FieldRef): Parsed<string> => {
  const tag = raw.trim();
  const max = LIMITS.tagLength;
  if (tag === '') return refuse(at, 'tag', `Tag must not be empty; give 1 to ${max} ${ALLOWED}`);
  const length = codePointLength(tag);
  if (length > max) return refuse(at, 'tag', `Tag must be at most ${max} characters long (it has ${length})`);
  const bad = firstMatch(tag, NOT_TAG_CHARACTER);
  if (bad !== undefined) return refuse(at, 'tag', `Tag may contain only ${ALLOWED} (found ${describeCharacter(bad)})`);
  return accept(tag);
};
