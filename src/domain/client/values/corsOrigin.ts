import { type FieldRef, type Parsed, accept, refuse } from './parsed';
import { looksLikeHostAndPort, missingSchemeMessage, readScheme, readWebUrl, urlTextProblem } from './urlSyntax';

const LABEL = 'CORS origin';
const FORM = 'give only scheme://host[:port], such as https://app.example.com';

const readOrigin = (text: string): { origin: string } | string => {
  const textProblem = urlTextProblem(text, LABEL);
  if (textProblem !== undefined) return textProblem;
  const written = readScheme(text);
  const scheme = written?.toLowerCase();
  if (written === undefined || (scheme !== 'http' && scheme !== 'https')) {
    if (written !== undefined && looksLikeHostAndPort(text, written)) return missingSchemeMessage(LABEL, text);
    return `${LABEL} must use https (or http on a loopback host: localhost, 127.0.0.1 or [::1]); ${FORM}`;
  }
  if (text.includes('*')) return `${LABEL} must not contain a wildcard ('*'); list each origin`;
  const web = readWebUrl(text, LABEL);
  if (typeof web === 'string') return web;
  const { rest } = web;
  if (rest === '' || rest === '/') return { origin: web.url.origin };
  if (rest.includes('#')) return `${LABEL} must not contain a fragment ('#'); ${FORM}`;
  if (rest.startsWith('?') || rest.startsWith('/?')) return `${LABEL} must not contain a query ('?'); ${FORM}`;
  return `${LABEL} must not contain a path (found '${rest}'); ${FORM}`;
};

/** Reads a CORS origin, `scheme://host[:port]` with at most a trailing '/', answered in its serialized form (lower-case host, no default port). */
export const parseCorsOrigin = (raw: string, at: FieldRef): Parsed<string> => {
  const read = readOrigin(raw.trim());
  return typeof read === 'string' ? refuse(at, 'corsOrigin', read) : accept(read.origin);
};
