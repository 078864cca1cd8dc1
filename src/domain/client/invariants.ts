import { type Violation } from '../../errors';
import { type Client } from './client';
import { atLeastOneRedirectUrl } from './settings';
import { LIMITS } from './values';

type LimitedList = 'allowedRedirectUrls' | 'allowedLogoutRedirectUrls' | 'allowedCorsOrigins' | 'tags';

const LIST_LIMITS: readonly { list: LimitedList; max: number; what: string }[] = [
  { list: 'allowedRedirectUrls', max: LIMITS.redirectUrls, what: 'allowed redirect URLs' },
  { list: 'allowedLogoutRedirectUrls', max: LIMITS.logoutRedirectUrls, what: 'allowed logout redirect URLs' },
  { list: 'allowedCorsOrigins', max: LIMITS.corsOrigins, what: 'allowed CORS origins' },
  { list: 'tags', max: LIMITS.tags, what: 'tags' },
];

/**
 * Rules on the client as a whole, checked on the state a command leads to. Only what the command
 * makes worse is refused, so a client stored under older, looser limits can still be changed
 * (disabled, say) without first being brought within today's. `listField` is the input field a
 * command names its URL or origin in (`url`, `origin`); without one, a rule is reported at the list.
 */
export const invariantViolations = (before: Client | null, after: Client, listField?: string): Violation[] => {
  const violations: Violation[] = [];
  const hadRedirectUrl = before === null || before.allowedRedirectUrls.length > 0;
  if (after.allowedRedirectUrls.length === 0 && hadRedirectUrl) {
    violations.push(atLeastOneRedirectUrl(listField ?? 'allowedRedirectUrls'));
  }
  for (const { list, max, what } of LIST_LIMITS) {
    if (after[list].length > max && after[list].length > (before?.[list].length ?? 0)) {
      violations.push({
        field: list === 'tags' ? 'tags' : (listField ?? list),
        rule: 'tooMany',
        message: `A client can have at most ${max} ${what}`,
      });
    }
  }
  return violations;
};
