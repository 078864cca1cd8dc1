import { type FieldRef, type Parsed, accept, refuse } from './parsed';
import {
  isDangerousScheme,
  looksLikeHostAndPort,
  missingSchemeMessage,
  readScheme,
  readWebUrl,
  uriCharacterProblem,
  urlTextProblem,
} from './urlSyntax';

const LABEL = 'URI';

const problemOf = (text: string): string | undefined => {
  const textProblem = urlTextProblem(text, LABEL);
  if (textProblem !== undefined) return textProblem;
  const written = readScheme(text);
  const scheme = written?.toLowerCase();
  if (written === undefined) return `${LABEL} must be absolute, starting with https:// (such as https://www.example.com)`;
  if (isDangerousScheme(written)) return `${LABEL} must not use the '${scheme}:' scheme`;
  if (scheme !== 'http' && scheme !== 'https') {
    if (looksLikeHostAndPort(text, written)) return missingSchemeMessage(LABEL, text);
    return `${LABEL} must use https (or http on a loopback host: localhost, 127.0.0.1 or [::1]); '${written}:' is not allowed`;
  }
  const web = readWebUrl(text, LABEL);
  return typeof web === 'string' ? web : uriCharacterProblem(web.rest, LABEL);
};

/** Reads a client URI or logo URI: an absolute https URL (http only on a loopback host), answered as given apart from trimming. */
export const parseAbsoluteUri = (raw: string, at: FieldRef): Parsed<string> => {
  const text = raw.trim();
  const problem = problemOf(text);
  return problem === undefined ? accept(text) : refuse(at, 'uri', problem);
};
