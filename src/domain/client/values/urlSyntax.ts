import { isLoopbackHost } from '../../../jsutils';
import { LIMITS } from './limits';
import { codePointLength, describeCharacter, firstMatch } from './text';

const INVISIBLE = /[\s\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const REG_NAME_OR_IPV4 = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?$/;
const IPV6_LITERAL = /^\[[0-9A-Fa-f:.]+\]$/;
const NON_ASCII = /\P{ASCII}/u;
const PORT = /^[1-9][0-9]{0,4}$/;
const URI_CHARACTER = /^[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]$/;
const HEX = /^[0-9A-Fa-f]{2}$/;
const DANGEROUS_SCHEMES: ReadonlySet<string> = new Set(['javascript', 'data', 'file', 'vbscript']);

/** Schemes that run code or read local content and are refused by name. */
export const isDangerousScheme = (scheme: string): boolean => DANGEROUS_SCHEMES.has(scheme.toLowerCase());

/** The WHATWG reading of `text`, or `undefined` when it does not parse. */
export const tryParseUrl = (text: string): URL | undefined => {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
};

/**
 * Checks trimmed URL text for what no URL of ours may be: empty, too long, whitespace, control
 * or invisible characters, backslashes. Like every check here, answers `undefined` when it passes,
 * else the message of the first decisive problem, starting with `label` ("Redirect URL", ...).
 */
export const urlTextProblem = (text: string, label: string): string | undefined => {
  if (text === '') return `${label} must not be empty`;
  const max = LIMITS.urlLength;
  if (text.length > max) {
    const length = codePointLength(text);
    if (length > max) return `${label} must be at most ${max} characters long (it has ${length})`;
  }
  const invisible = firstMatch(text, INVISIBLE);
  if (invisible !== undefined) {
    return `${label} must not contain whitespace, control or invisible characters (found ${describeCharacter(invisible)})`;
  }
  // WHATWG reads '\' as '/' in http(s) URLs ("https:\\evil.com"), so what is stored is not what a browser visits.
  if (text.includes('\\')) return `${label} must not contain a backslash ('\\')`;
  return undefined;
};

/** The scheme as written (`HTTPS` in `HTTPS://x`), or `undefined` when the text does not start with one. */
export const readScheme = (text: string): string | undefined => SCHEME.exec(text)?.[1];

/** Whether text that reads as `scheme:...` is really `host:port...` without a scheme (`localhost:3000/cb`). */
export const looksLikeHostAndPort = (text: string, scheme: string): boolean => /^[0-9]/.test(text.slice(scheme.length + 1));

/** Message for text like `localhost:3000`, which lacks its scheme. */
export const missingSchemeMessage = (label: string, text: string): string =>
  `${label} must start with a scheme such as https://; '${text}' looks like a host and port without one`;

/**
 * Checks the part of a URL after its scheme and authority for characters RFC 3986 allows only
 * percent-encoded: anything but unreserved, sub-delims, ':' '/' '?' '@' '#' and a well-formed
 * '%XX'; also a second '#'.
 */
export const uriCharacterProblem = (part: string, label: string): string | undefined => {
  let fragment = false;
  let index = 0;
  for (const char of part) {
    if (char === '%' && !HEX.test(part.slice(index + 1, index + 3))) {
      return `${label} contains a '%' that does not start a percent-encoded byte (%XX)`;
    }
    if (!URI_CHARACTER.test(char) || (char === '#' && fragment)) {
      return `${label} contains ${describeCharacter(char)}, which must be percent-encoded in a URL`;
    }
    if (char === '#') fragment = true;
    index += char.length;
  }
  return undefined;
};

/** The authority of `text` that starts at `start` (after `scheme://`), and what follows it. */
export const splitAtAuthority = (text: string, start: number): { authority: string; rest: string } => {
  const end = text.slice(start).search(/[/?#]/);
  return end < 0
    ? { authority: text.slice(start), rest: '' }
    : { authority: text.slice(start, start + end), rest: text.slice(start + end) };
};

const splitHostAndPort = (authority: string): { host: string; port?: string } => {
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    const after = authority.slice(close + 1);
    if (close < 0 || (after !== '' && !after.startsWith(':'))) return { host: authority };
    return after === '' ? { host: authority.slice(0, close + 1) } : { host: authority.slice(0, close + 1), port: after.slice(1) };
  }
  const colon = authority.indexOf(':');
  return colon < 0 ? { host: authority } : { host: authority.slice(0, colon), port: authority.slice(colon + 1) };
};

/** An `http` or `https` URL read strictly, with its host as written and the text after its authority. */
export interface WebUrl {
  scheme: 'http' | 'https';
  host: string;
  rest: string;
  url: URL;
}

/**
 * Reads `text`, whose scheme is http or https (any case), as a web URL: an explicit `//`
 * authority without user info; an ASCII host name, IPv4 or bracketed IPv6 address written in the
 * form WHATWG keeps (apart from case); a port 1..65535; http only on a loopback host as written.
 * Answers the problem message when it is not one.
 */
export const readWebUrl = (text: string, label: string): WebUrl | string => {
  const written = readScheme(text) ?? '';
  const scheme = written.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return `${label} must use https`;
  if (!text.startsWith('//', written.length + 1)) {
    return `${label} must be written as ${scheme}://host/...: '//' is missing after '${written}:'`;
  }
  const { authority, rest } = splitAtAuthority(text, written.length + 3);
  if (authority.includes('@')) return `${label} must not contain user info (a '@' before the host)`;
  const { host, port } = splitHostAndPort(authority);
  if (host === '') return `${label} must have a host after '${written}://'`;
  if (NON_ASCII.test(host)) {
    return `${label} host must be written in ASCII; use the punycode form (xn--...) of an international domain name`;
  }
  if (!REG_NAME_OR_IPV4.test(host) && !IPV6_LITERAL.test(host)) {
    return `${label} host '${host}' is not a valid host name or IP address`;
  }
  if (port !== undefined && !(PORT.test(port) && Number(port) <= 65535)) {
    return `${label} port must be a number from 1 to 65535 without leading zeros (found '${port}')`;
  }
  const url = tryParseUrl(text);
  if (url === undefined) return `${label} is not a valid URL`;
  if (scheme === 'http' && !isLoopbackHost(host)) {
    return `${label} may use http only on a loopback host written as localhost, 127.0.0.1 or [::1]; use https for '${host}'`;
  }
  if (url.hostname !== host.toLowerCase()) {
    return `${label} host '${host}' is not written in its usual form; write it as '${url.hostname}'`;
  }
  return { scheme, host, rest, url };
};
