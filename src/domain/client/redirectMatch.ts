import { type RedirectDifferenceKind, differencesBetween, distanceOf } from './redirectDifferences';
import { readWrittenUrl } from './writtenUrl';

/** Why a presented redirect URI matched a registration, or that none did. */
export type RedirectMatchRule = 'exactMatch' | 'loopbackAnyPort' | 'noMatch';

/** One way the presented URL differs from the nearest registered one: a machine-readable kind and a sentence for people. */
export interface RedirectUrlDifference {
  kind: RedirectDifferenceKind;
  message: string;
}

/** The registered URL closest to one that matched none, and everything that sets them apart. */
export interface NearestRedirectUrl {
  url: string;
  differences: RedirectUrlDifference[];
}

/** Whether a redirect URI presented at sign-in is allowed by a client's registration, and why (not). */
export interface RedirectUrlMatch {
  matched: boolean;
  /** The registered URL it matched; null when none did. */
  matchedUrl: string | null;
  rule: RedirectMatchRule;
  /** Only when nothing matched and the client has a registered URL: the nearest one. */
  nearest: NearestRedirectUrl | null;
}

const LOOPBACK_IP_ORIGIN = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::\d{1,5})?(?=[/?]|$)/;

/** `http://127.0.0.1:<port>/…` and `http://[::1]:<port>/…` without the port, for RFC 8252 §7.3's any-port rule; undefined for other URLs. */
const withoutLoopbackPort = (url: string): string | undefined => {
  const found = LOOPBACK_IP_ORIGIN.exec(url);
  if (!found) return undefined;
  return `http://${found[1]}${url.slice(found[0].length)}`;
};

/** How many characters two texts share at their start and at their end: the tie-break between equally distant URLs. */
const sharedEnds = (a: string, b: string): number => {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end += 1;
  return start + end;
};

/** The registered URL nearest to `presented` (fewest and least telling differences, then most text in common, then first), and how it differs. */
const nearestTo = (registered: readonly string[], presented: string): NearestRedirectUrl | null => {
  const written = readWrittenUrl(presented);
  let best: { url: string; differences: RedirectUrlDifference[]; distance: number; shared: number } | null = null;
  for (const url of registered) {
    const differences = differencesBetween(written, readWrittenUrl(url));
    const distance = distanceOf(differences);
    const shared = sharedEnds(presented, url);
    if (best === null || distance < best.distance || (distance === best.distance && shared > best.shared)) {
      best = { url, differences, distance, shared };
    }
  }
  return best && { url: best.url, differences: best.differences };
};

/**
 * Decides whether `presented` (the redirect_uri of an authorization request) matches one of
 * `registered`, exactly as RFC 9700 §2.1 and RFC 8252 §7.3 require: simple string comparison, except
 * that for a loopback IP literal (`127.0.0.1`, `[::1]`) over http any port matches. When none
 * matches, names the nearest registered URL and each difference, so a developer sees why. Pure.
 */
export const matchRedirectUrl = (registered: readonly string[], presented: string): RedirectUrlMatch => {
  if (registered.includes(presented)) return { matched: true, matchedUrl: presented, rule: 'exactMatch', nearest: null };
  const portless = withoutLoopbackPort(presented);
  if (portless !== undefined) {
    const found = registered.find((url) => withoutLoopbackPort(url) === portless);
    if (found !== undefined) return { matched: true, matchedUrl: found, rule: 'loopbackAnyPort', nearest: null };
  }
  return { matched: false, matchedUrl: null, rule: 'noMatch', nearest: nearestTo(registered, presented) };
};
