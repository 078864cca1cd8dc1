import { normalPercentEncoding, removeDotSegments } from './values';
import { type WrittenUrl, isLoopbackIpUrl, isLoopbackName } from './writtenUrl';

/** What sets a presented redirect URL apart from a registered one, for programs. */
export type RedirectDifferenceKind =
  | 'notAUrl'
  | 'scheme'
  | 'schemeCase'
  | 'userinfo'
  | 'host'
  | 'hostCase'
  | 'loopbackName'
  | 'port'
  | 'path'
  | 'trailingSlash'
  | 'dotSegments'
  | 'percentEncoding'
  | 'query'
  | 'fragment'
  | 'other';

/** One way the presented URL differs from a registered one: its kind and a sentence naming both values. */
export interface Difference {
  kind: RedirectDifferenceKind;
  message: string;
}

/** The two URLs being compared; `registered` is also named in every message. */
interface Pair {
  presented: WrittenUrl;
  registered: WrittenUrl;
}

type Check = (pair: Pair) => Difference | undefined;

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' };
const EXACT = 'the identity server compares the text exactly (RFC 9700 §4.1.3)';

const differ = (kind: RedirectDifferenceKind, words: string, detail: string): Difference => ({ kind, message: `${words}: ${detail}` });
const theRegistered = ({ registered }: Pair): string => `the registered one (${registered.text})`;
const decoded = (text: string): string => text.replace(/%([0-9A-Fa-f]{2})/g, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16)));

const schemeCheck: Check = (pair) => {
  const [presented, registered] = [pair.presented.scheme ?? '', pair.registered.scheme ?? ''];
  if (presented === registered) return undefined;
  if (presented.toLowerCase() === registered.toLowerCase()) {
    return differ('schemeCase', 'scheme case', `the presented URL writes its scheme '${presented}:', ${theRegistered(pair)} writes '${registered}:'; ${EXACT}, so case counts`);
  }
  return differ('scheme', 'scheme', `the presented URL uses '${presented}:', ${theRegistered(pair)} uses '${registered}:'`);
};

const userinfoCheck: Check = (pair) => {
  const [presented, registered] = [pair.presented.userinfo, pair.registered.userinfo];
  if (presented === registered) return undefined;
  const what = (userinfo: string | undefined) => (userinfo === undefined ? 'none' : `'${userinfo}@'`);
  return differ(
    'userinfo',
    'user info',
    `the presented URL has the user info ${what(presented)} before its host, ${theRegistered(pair)} has ${what(registered)}; a redirect URL carries none (RFC 3986 §3.2.1 deprecates it, §7.6 shows how it disguises the host)`,
  );
};

const hostCheck: Check = (pair) => {
  const [presented, registered] = [pair.presented.host, pair.registered.host];
  if (presented === registered) return undefined;
  const what = (host: string | undefined) => (host === undefined ? 'no host' : `'${host}'`);
  if (presented === undefined || registered === undefined) {
    return differ('host', 'host', `the presented URL has ${what(presented)}, ${theRegistered(pair)} has ${what(registered)}`);
  }
  if (presented.toLowerCase() === registered.toLowerCase()) {
    return differ('hostCase', 'host case', `the presented URL writes the host '${presented}', ${theRegistered(pair)} writes '${registered}'; DNS ignores case but ${EXACT}`);
  }
  if (isLoopbackName(presented) && isLoopbackName(registered)) {
    return differ(
      'loopbackName',
      'loopback name',
      `the presented URL names this machine '${presented}', ${theRegistered(pair)} names it '${registered}'; both reach the loopback interface but ${EXACT} (RFC 8252 §8.3 recommends the IP literal 127.0.0.1 or [::1], for which any port matches)`,
    );
  }
  return differ('host', 'host', `the presented URL goes to '${presented}', ${theRegistered(pair)} to '${registered}'`);
};

const portWords = (port: string | undefined, scheme: string): string => {
  if (port === undefined) return 'no port';
  return DEFAULT_PORTS[scheme] === port ? `port ${port} (the default of ${scheme}, which a browser leaves out)` : `port ${port}`;
};

const portCheck: Check = (pair) => {
  const { presented, registered } = pair;
  if (presented.port === registered.port) return undefined;
  // RFC 8252 §7.3: for loopback IP literals over http any port matches, so the port is never what differs.
  if (isLoopbackIpUrl(presented) && isLoopbackIpUrl(registered)) return undefined;
  const scheme = (registered.scheme ?? '').toLowerCase();
  const both = `the presented URL has ${portWords(presented.port, scheme)}, ${theRegistered(pair)} has ${portWords(registered.port, scheme)}`;
  if (scheme === 'http' && presented.host?.toLowerCase() === 'localhost' && registered.host?.toLowerCase() === 'localhost') {
    const suggestion = `http://127.0.0.1${registered.path}${registered.query === undefined ? '' : `?${registered.query}`}`;
    return differ(
      'port',
      'port',
      `${both}; any port matches only for the loopback IP literals 127.0.0.1 and [::1] (RFC 8252 §7.3), not for 'localhost' (RFC 8252 §8.3): register ${suggestion} and have the app send http://127.0.0.1:<port>${registered.path}`,
    );
  }
  return differ('port', 'port', both);
};

const pathCheck: Check = (pair) => {
  const [presented, registered] = [pair.presented.path, pair.registered.path];
  if (presented === registered) return undefined;
  if (presented === `${registered}/`) {
    return differ('trailingSlash', 'trailing slash', `the presented URL ends its path with '/', ${theRegistered(pair)} does not`);
  }
  if (registered === `${presented}/`) {
    return differ('trailingSlash', 'trailing slash', `the presented URL does not end its path with '/', ${theRegistered(pair)} does ('${registered}')`);
  }
  const paths = `the presented URL has the path '${presented}', ${theRegistered(pair)} has '${registered}'`;
  if (normalPercentEncoding(presented) === normalPercentEncoding(registered) || decoded(presented) === decoded(registered)) {
    return differ('percentEncoding', 'percent-encoding', `${paths}; they decode to the same text, but ${EXACT}`);
  }
  if (removeDotSegments(normalPercentEncoding(presented)) === removeDotSegments(normalPercentEncoding(registered))) {
    return differ('dotSegments', 'dot segments', `${paths}; they are the same once '.' and '..' segments are resolved (RFC 3986 §5.2.4), but ${EXACT}`);
  }
  if (presented.toLowerCase() === registered.toLowerCase()) return differ('path', 'path', `${paths}; a path is case-sensitive`);
  return differ('path', 'path', paths);
};

const sortedParameters = (query: string): string => query.split('&').sort().join('&');

const queryCheck: Check = (pair) => {
  const [presented, registered] = [pair.presented.query, pair.registered.query];
  if (presented === registered) return undefined;
  const what = (query: string | undefined) => (query === undefined ? 'no query' : `the query '?${query}'`);
  const both = `the presented URL has ${what(presented)}, ${theRegistered(pair)} has ${what(registered)}`;
  if (presented === undefined || registered === undefined) return differ('query', 'query', both);
  if (normalPercentEncoding(presented) === normalPercentEncoding(registered) || decoded(presented) === decoded(registered)) {
    return differ('percentEncoding', 'percent-encoding', `${both}; they decode to the same text, but ${EXACT}`);
  }
  if (sortedParameters(presented) === sortedParameters(registered)) {
    return differ('query', 'query', `${both}: the same parameters in another order, but ${EXACT}`);
  }
  return differ('query', 'query', `${both}; the query is part of the registered URL (RFC 9700 §4.1.3)`);
};

const fragmentCheck: Check = (pair) => {
  const [presented, registered] = [pair.presented.fragment, pair.registered.fragment];
  if (presented === registered) return undefined;
  const what = (fragment: string | undefined) => (fragment === undefined ? 'none' : `'#${fragment}'`);
  return differ(
    'fragment',
    'fragment',
    `the presented URL has the fragment ${what(presented)}, ${theRegistered(pair)} has ${what(registered)}; a redirect URL has no fragment (RFC 6749 §3.1.2)`,
  );
};

/** In the order shown: the parts of a URL from left to right. */
const CHECKS: readonly Check[] = [schemeCheck, userinfoCheck, hostCheck, portCheck, pathCheck, queryCheck, fragmentCheck];

/**
 * Every way `presented` differs from `registered`, each part compared as written, as the
 * identity server compares them; never empty when the two texts differ (apart from a loopback
 * IP literal's port, which RFC 8252 §7.3 lets differ).
 */
export const differencesBetween = (presented: WrittenUrl, registered: WrittenUrl): Difference[] => {
  if (presented.scheme === undefined) {
    const detail = `the presented value '${presented.text}' has no scheme, so it is not an absolute URL; the registered one is ${registered.text}`;
    return [differ('notAUrl', 'not a URL', detail)];
  }
  const pair = { presented, registered };
  const found = CHECKS.flatMap((check) => check(pair) ?? []);
  if (found.length === 0 && presented.text !== registered.text) {
    return [differ('other', 'text', `the presented URL '${presented.text}' is written differently from ${theRegistered(pair)}; ${EXACT}`)];
  }
  return found;
};

const WEIGHTS: Readonly<Record<RedirectDifferenceKind, number>> = {
  notAUrl: 100,
  host: 8,
  path: 6,
  scheme: 5,
  userinfo: 3,
  query: 3,
  port: 2,
  loopbackName: 2,
  dotSegments: 2,
  schemeCase: 1,
  hostCase: 1,
  trailingSlash: 1,
  percentEncoding: 1,
  fragment: 1,
  other: 1,
};

/** How far apart differences put two URLs: the more telling, the farther. */
export const distanceOf = (differences: readonly Difference[]): number => differences.reduce((sum, { kind }) => sum + WEIGHTS[kind], 0);
