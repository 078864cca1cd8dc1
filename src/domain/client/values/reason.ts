import { LIMITS } from './limits';
import { type FieldRef, type Parsed, accept, refuse } from './parsed';
import { LONE_SURROGATE, codePointLength, describeCharacter, firstMatch } from './text';

const CONTROL_BUT_NEWLINE_OR_TAB = /(?![\n\t])\p{Cc}/u;

/** Reads the free-text reason an admin gives for a change: trimmed, 1..1000 characters, no control characters but line feed and tab. */
export const parseReason = (raw: string, at: FieldRef): Parsed<string> => {
  // Text areas submit line breaks as CR LF; they are kept as plain LF.
  const reason = raw.replace(/\r\n/g, '\n').trim();
  const max = LIMITS.reasonLength;
  if (reason === '') return refuse(at, 'reason', `Reason must not be empty; give 1 to ${max} characters or leave it out`);
  const length = codePointLength(reason);
  if (length > max) return refuse(at, 'reason', `Reason must be at most ${max} characters long (it has ${length})`);
  const control = firstMatch(reason, CONTROL_BUT_NEWLINE_OR_TAB);
  if (control !== undefined) {
    return refuse(
      at,
      'reason',
      `Reason must not contain control characters other than line breaks and tabs (found ${describeCharacter(control)})`,
    );
  }
  const surrogate = firstMatch(reason, LONE_SURROGATE);
  if (surrogate !== undefined) {
    return refuse(at, 'reason', `Reason must be valid Unicode text (found the unpaired surrogate ${describeCharacter(surrogate)})`);
  }
  return accept(reason);
};
