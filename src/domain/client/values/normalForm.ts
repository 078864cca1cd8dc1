/** The five parts of a URI reference (RFC 3986 §3); `undefined` where the part is absent, '' where it is present but empty. */
export interface UriParts {
  scheme: string | undefined;
  authority: string | undefined;
  path: string;
  query: string | undefined;
  fragment: string | undefined;
}

// RFC 3986 Appendix B: the regular expression that splits any string into the five parts.
const URI_PARTS = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;
const PERCENT_ENCODED = /%([0-9A-Fa-f]{2})/g;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' };

/** Splits `text` into its RFC 3986 parts, each as written. */
export const uriParts = (text: string): UriParts => {
  const [, scheme, authority, path, query, fragment] = URI_PARTS.exec(text) ?? [];
  return { scheme, authority, path: path ?? '', query, fragment };
};

/** The text of `parts` put back together (RFC 3986 §5.3). */
export const joinUriParts = ({ scheme, authority, path, query, fragment }: UriParts): string =>
  (scheme === undefined ? '' : `${scheme}:`) +
  (authority === undefined ? '' : `//${authority}`) +
  path +
  (query === undefined ? '' : `?${query}`) +
  (fragment === undefined ? '' : `#${fragment}`);

/** RFC 3986 §6.2.2.1 and §6.2.2.2: hex digits of '%XX' upper-cased, and unreserved characters decoded. */
export const normalPercentEncoding = (text: string): string =>
  text.replace(PERCENT_ENCODED, (_encoded, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });

/** RFC 3986 §5.2.4: the path without its '.' and '..' segments. */
export const removeDotSegments = (path: string): string => {
  let input = path;
  const output: string[] = [];
  while (input !== '') {
    if (input.startsWith('../')) input = input.slice(3);
    else if (input.startsWith('./')) input = input.slice(2);
    else if (input.startsWith('/./')) input = input.slice(2);
    else if (input === '/.') input = '/';
    else if (input.startsWith('/../')) {
      input = input.slice(3);
      output.pop();
    } else if (input === '/..') {
      input = '/';
      output.pop();
    } else if (input === '.' || input === '..') input = '';
    else {
      const end = input.indexOf('/', 1);
      const segment = end < 0 ? input : input.slice(0, end);
      output.push(segment);
      input = input.slice(segment.length);
    }
  }
  return output.join('');
};

/** A host lower-cased, its percent-encoding in normal form. */
const normalHost = (host: string): string => normalPercentEncoding(normalPercentEncoding(host).toLowerCase());

/** The authority with its host lower-cased (RFC 3986 §6.2.2.1) and a scheme's default port dropped (§6.2.3). */
const normalAuthority = (authority: string, scheme: string): string => {
  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? '' : normalPercentEncoding(authority.slice(0, at + 1));
  const hostAndPort = authority.slice(at + 1);
  const portAt = /:[0-9]*$/.exec(hostAndPort)?.index ?? hostAndPort.length;
  const host = normalHost(hostAndPort.slice(0, portAt));
  // A host with a ':' outside brackets is no host (RFC 3986 §3.2.2): which ':' starts the port is a guess, so keep them all.
  if (host.includes(':') && !/^\[[^\]]*\]$/.test(host)) return `${userinfo}${normalHost(hostAndPort)}`;
  const port = hostAndPort.slice(portAt + 1);
  const keepPort = port !== '' && port !== DEFAULT_PORTS[scheme];
  return `${userinfo}${host}${keepPort ? `:${port}` : ''}`;
};

/**
 * The RFC 3986 §6.2.2 normal form of an absolute URI: scheme and host lower-case, percent-encoding
 * normalised, dot segments removed, and (§6.2.3) an http(s) default port dropped and an empty
 * http(s) path written '/', which is what a browser presents. Text without a scheme is answered
 * as given. Pure and idempotent: the fold applies it to values recorded before registration did.
 */
export const normalUrl = (text: string): string => {
  const parts = uriParts(text);
  if (parts.scheme === undefined) return text;
  const scheme = parts.scheme.toLowerCase();
  const authority = parts.authority === undefined ? undefined : normalAuthority(parts.authority, scheme);
  let path = removeDotSegments(normalPercentEncoding(parts.path));
  if (authority !== undefined && path === '' && scheme in DEFAULT_PORTS) path = '/';
  // Without an authority a path may not start with '//' (RFC 3986 §3.3): keep such a path as it was.
  if (authority === undefined && path.startsWith('//')) path = parts.path;
  const query = parts.query === undefined ? undefined : normalPercentEncoding(parts.query);
  return joinUriParts({ scheme, authority, path, query, fragment: parts.fragment });
};
