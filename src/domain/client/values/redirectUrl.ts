import { type FieldRef, type Parsed, accept, refuse } from './parsed';
import {
  isDangerousScheme,
  looksLikeHostAndPort,
  missingSchemeMessage,
  readScheme,
  readWebUrl,
  splitAtAuthority,
  tryParseUrl,
  uriCharacterProblem,
  urlTextProblem,
} from './urlSyntax';

const LABEL = 'Redirect URL';
const REVERSE_DOMAIN = /^[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const ALLOWED_FORMS =
  "use https://, http:// only on a loopback host (localhost, 127.0.0.1 or [::1]), or a native app's private-use scheme in reverse-domain form containing a dot (such as com.example.app:/callback)";

/** RFC 8252 §7.1: a private-use scheme named after a domain the app's owner controls, reversed. */
const nativeAppProblem = (text: string, scheme: string): string | undefined => {
  if (!REVERSE_DOMAIN.test(scheme)) {
    return `${LABEL} scheme '${scheme}:' is not a reverse domain name such as com.example.app; ${ALLOWED_FORMS}`;
  }
  const remainder = text.slice(scheme.length + 1);
  if (remainder === '') return `${LABEL} must continue after '${scheme}:', for example ${scheme}:/callback`;
  if (remainder.startsWith('//') && splitAtAuthority(text, scheme.length + 3).authority.includes('@')) {
    return `${LABEL} must not contain user info (a '@' before the host)`;
  }
  return uriCharacterProblem(remainder, LABEL) ?? (tryParseUrl(text) === undefined ? `${LABEL} is not a valid URL` : undefined);
};

const problemOf = (text: string): string | undefined => {
  const textProblem = urlTextProblem(text, LABEL);
  if (textProblem !== undefined) return textProblem;
  const written = readScheme(text);
  if (written === undefined) {
    return `${LABEL} must be absolute, starting with a scheme (such as https://app.example.com/callback)`;
  }
  const scheme = written.toLowerCase();
  if (isDangerousScheme(scheme)) return `${LABEL} must not use the '${scheme}:' scheme`;
  if (text.includes('*')) return `${LABEL} must not contain a wildcard ('*'); register each URL exactly`;
  if (text.includes('#')) return `${LABEL} must not contain a fragment ('#')`;
  if (scheme === 'http' || scheme === 'https') {
    const web = readWebUrl(text, LABEL);
    return typeof web === 'string' ? web : uriCharacterProblem(web.rest, LABEL);
  }
  if (looksLikeHostAndPort(text, written)) return missingSchemeMessage(LABEL, text);
  if (!scheme.includes('.')) return `${LABEL} scheme '${written}:' is not allowed; ${ALLOWED_FORMS}`;
  return nativeAppProblem(text, written);
};

/** Reads a redirect or logout redirect URL, answered exactly as given apart from trimming (the identity server matches it by exact string). */
export const parseRedirectUrl = (raw: string, at: FieldRef): Parsed<string> => {
  const text = raw.trim();
  const problem = problemOf(text);
  return problem === undefined ? accept(text) : refuse(at, 'redirectUrl', problem);
};
