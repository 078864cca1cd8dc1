/** Why a presented redirect URI matched a registration, or that none did. */
export type RedirectMatchRule = 'exactMatch' | 'loopbackAnyPort' | 'noMatch';

/** One way the presented URL differs from the nearest registered one: a machine-readable kind and a sentence for people. */
export interface RedirectUrlDifference {
  kind: string;
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

/**
 * Decides whether `presented` (the redirect_uri of an authorization request) matches one of
 * `registered`, exactly as RFC 9700 §2.1 and RFC 8252 §7.3 require: simple string comparison, except
 * that for a loopback IP literal (`127.0.0.1`, `[::1]`) over http any port matches. Pure.
 */
export const matchRedirectUrl = (registered: readonly string[], presented: string): RedirectUrlMatch => {
  if (registered.includes(presented)) return { matched: true, matchedUrl: presented, rule: 'exactMatch', nearest: null };
  const portless = withoutLoopbackPort(presented);
  if (portless !== undefined) {
    const found = registered.find((url) => withoutLoopbackPort(url) === portless);
    if (found !== undefined) return { matched: true, matchedUrl: found, rule: 'loopbackAnyPort', nearest: null };
  }
  const nearest = registered.length === 0 ? null : { url: registered[0], differences: [] };
  return { matched: false, matchedUrl: null, rule: 'noMatch', nearest };
};
