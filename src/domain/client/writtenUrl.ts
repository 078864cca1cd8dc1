import { uriParts } from './values';

/** A URL split into its RFC 3986 parts exactly as written (nothing normalised); absent parts are `undefined`. */
export interface WrittenUrl {
  text: string;
  scheme: string | undefined;
  userinfo: string | undefined;
  host: string | undefined;
  port: string | undefined;
  path: string;
  query: string | undefined;
  fragment: string | undefined;
}

const PORT_AT_END = /:([0-9]*)$/;

/** Splits `text` into scheme, user info, host, port, path, query and fragment, as written; putting them back gives `text`. */
export const readWrittenUrl = (text: string): WrittenUrl => {
  const { scheme, authority, path, query, fragment } = uriParts(text);
  if (authority === undefined) return { text, scheme, userinfo: undefined, host: undefined, port: undefined, path, query, fragment };
  const at = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(at + 1);
  const port = PORT_AT_END.exec(hostAndPort);
  return {
    text,
    scheme,
    userinfo: at < 0 ? undefined : authority.slice(0, at),
    host: port === null ? hostAndPort : hostAndPort.slice(0, port.index),
    port: port === null ? undefined : port[1],
    path,
    query,
    fragment,
  };
};

const LOOPBACK_IPS: ReadonlySet<string> = new Set(['127.0.0.1', '[::1]']);
const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', ...LOOPBACK_IPS]);

/** Whether the URL is `http://127.0.0.1…` or `http://[::1]…` as written: where RFC 8252 §7.3 lets any port match. */
export const isLoopbackIpUrl = (url: WrittenUrl): boolean =>
  url.scheme === 'http' && url.userinfo === undefined && url.host !== undefined && LOOPBACK_IPS.has(url.host);

/** Whether `host` names the loopback interface (`localhost`, `127.0.0.1` or `[::1]`, any case). */
export const isLoopbackName = (host: string | undefined): boolean => host !== undefined && LOOPBACK_NAMES.has(host.toLowerCase());

/** The URL as written without its port, for comparing loopback IP URLs whatever their port. */
export const withoutPort = (url: WrittenUrl): string =>
  `${url.scheme}://${url.host}${url.path}${url.query === undefined ? '' : `?${url.query}`}${url.fragment === undefined ? '' : `#${url.fragment}`}`;
