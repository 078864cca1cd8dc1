import { normalUrl } from './normalForm';
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
// Refusals stricter than some other products name the rule they follow, so a developer knows why.
const USERINFO_PROBLEM = `${LABEL} must not contain user info (a '@' before the host): RFC 3986 §3.2.1 deprecates it and §7.6 shows how it disguises the real host`;
const ALLOWED_FORMS =
  "use https://, http:// only on a loopback host (localhost, 127.0.0.1 or [::1]), or a native app's private-use scheme in reverse-domain form containing a dot (such as com.example.app:/callback)";

/** Whether `text`, after `scheme:`, has an authority with user info (`//user@host`). */
const hasUserinfo = (text: string, scheme: string): boolean =>
  text.startsWith('//', scheme.length + 1) && splitAtAuthority(text, scheme.length + 3).authority.includes('@');

/** RFC 8252 §7.1: a private-use scheme named after a domain the app's owner controls, reversed. */
const nativeAppProblem = (text: string, scheme: string): string | undefined => {
  if (!REVERSE_DOMAIN.test(scheme)) {
    return `${LABEL} scheme '${scheme}:' is not a reverse domain name such as com.example.app (RFC 8252 §7.1: a native app's private-use scheme is a domain name it controls, reversed); ${ALLOWED_FORMS}`;
  }
  const remainder = text.slice(scheme.length + 1);
  if (remainder === '') return `${LABEL} must continue after '${scheme}:', for example ${scheme}:/callback`;
  if (hasUserinfo(text, scheme)) return USERINFO_PROBLEM;
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
  if (text.includes('*')) {
    return `${LABEL} must not contain a wildcard ('*'); register each URL exactly (RFC 9700 §2.1 and §4.1.3: redirect URIs are compared by exact string matching, never by pattern)`;
  }
  if (text.includes('#')) return `${LABEL} must not contain a fragment ('#') (RFC 6749 §3.1.2)`;
  if (scheme === 'http' || scheme === 'https') {
    if (hasUserinfo(text, written)) return USERINFO_PROBLEM;
    const web = readWebUrl(text, LABEL);
    return typeof web === 'string' ? web : uriCharacterProblem(web.rest, LABEL);
  }
  if (looksLikeHostAndPort(text, written)) return missingSchemeMessage(LABEL, text);
  if (!scheme.includes('.')) {
    return `${LABEL} scheme '${written}:' is not allowed (RFC 8252 §7.1: a native app's private-use scheme is a domain name it controls, reversed, so it contains a dot); ${ALLOWED_FORMS}`;
  }
  return nativeAppProblem(text, written);
};

/**
 * Reads a redirect or logout redirect URL, answered in its RFC 3986 §6.2.2 normal form (see
 * {@link normalUrl}): what a browser presents, since the identity server matches by exact string.
 */
export const parseRedirectUrl = (raw: string, at: FieldRef): Parsed<string> => {
  const text = raw.trim();
  const normal = normalUrl(text);
  // The normal form is checked too: only dot segments ('com.example.app:.') leave nothing after the scheme.
  const problem = problemOf(text) ?? (normal === text ? undefined : problemOf(normal));
  return problem === undefined ? accept(normal) : refuse(at, 'redirectUrl', problem);
};
