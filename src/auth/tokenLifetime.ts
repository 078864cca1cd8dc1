/** Longest lifetime a bearer token may have by default: 24 hours. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

/** What a verified token's times are checked against. */
export interface TokenTimeRules {
  nowSeconds: number;
  clockToleranceSeconds: number;
  maxLifetimeSeconds: number;
}

/**
 * Why a token's `iat` and `exp` are not acceptable, or null: an `iat` later than now (beyond the
 * clock tolerance) is refused, and so is a lifetime (`exp - iat`, or `exp - now` without `iat`)
 * longer than the maximum. Both times are NumericDates already checked by the JWT library.
 */
export const tokenTimeProblem = (claims: { iat?: number; exp: number }, rules: TokenTimeRules): string | null => {
  const { nowSeconds, clockToleranceSeconds, maxLifetimeSeconds } = rules;
  if (claims.iat !== undefined && claims.iat > nowSeconds + clockToleranceSeconds) {
    return 'Token issue time (iat claim) is in the future';
  }
  const lifetime = claims.exp - (claims.iat ?? nowSeconds);
  if (lifetime > maxLifetimeSeconds) {
    return `Token lifetime (exp - ${claims.iat === undefined ? 'now' : 'iat'}) is ${lifetime} s, more than the maximum of ${maxLifetimeSeconds} s`;
  }
  return null;
};
