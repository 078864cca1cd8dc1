import { type Principal } from '../auth';
import { RateLimitedError } from '../errors';
import { countRateLimitRefusal } from '../metrics';

/** One token bucket's shape: it holds at most `burst` tokens and gains `perSecond` a second; `perSecond` 0 turns it off. */
export interface BucketRate {
  burst: number;
  perSecond: number;
}

/** The four buckets every caller draws from: its own and its tenant's, for every request and for each mutation. */
export interface RateLimits {
  principalRequests: BucketRate;
  principalMutations: BucketRate;
  tenantRequests: BucketRate;
  tenantMutations: BucketRate;
}

/** Who a request is charged to: its tenant, and the principal (`sub`) within it. */
export type RateLimitedCaller = Pick<Principal, 'id' | 'tenantId'>;

/** Token buckets per principal and per tenant; a refusal is a RateLimitedError naming the bucket and when to retry. */
export interface RateLimiter {
  /** Charges one request (an HTTP request to /graphql, a subscription); null when it may run. */
  takeRequest(caller: RateLimitedCaller): RateLimitedError | null;
  /** Charges `count` mutations of one operation; null when they may run. */
  takeMutations(caller: RateLimitedCaller, count: number): RateLimitedError | null;
}

/** Buckets kept before full (idle) ones are forgotten: a full bucket is the same as none. */
const MAX_TRACKED_BUCKETS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

type BucketName = keyof RateLimits;

const WHAT: Readonly<Record<BucketName, string>> = {
  principalRequests: 'requests from one caller',
  principalMutations: 'mutations from one caller',
  tenantRequests: 'requests from one tenant',
  tenantMutations: 'mutations from one tenant',
};

/** Token buckets over `limits`, timed by `now` (milliseconds). */
export const createRateLimiter = (limits: RateLimits, now: () => number = Date.now): RateLimiter => {
  const buckets = new Map<string, Bucket>();

  const levelOf = (key: string, rate: BucketRate, at: number): Bucket => {
    const bucket = buckets.get(key) ?? { tokens: rate.burst, at };
    const tokens = Math.min(rate.burst, bucket.tokens + ((at - bucket.at) / 1000) * rate.perSecond);
    return { tokens, at };
  };

  const forgetFullBuckets = (at: number) => {
    if (buckets.size < MAX_TRACKED_BUCKETS) return;
    for (const key of buckets.keys()) {
      const rate = limits[key.slice(0, key.indexOf(' ')) as BucketName];
      if (levelOf(key, rate, at).tokens >= rate.burst) buckets.delete(key);
    }
  };

  /** Takes `count` tokens from every bucket named, or none when one of them lacks them. */
  const take = (charges: [BucketName, string][], count: number): RateLimitedError | null => {
    const at = now();
    const levels = charges
      .filter(([name]) => limits[name].perSecond > 0)
      .map(([name, owner]) => {
        const key = `${name} ${owner}`;
        const rate = limits[name];
        return { name, key, rate, need: Math.min(count, rate.burst), level: levelOf(key, rate, at) };
      });
    const short = levels.filter(({ need, level }) => level.tokens < need);
    if (short.length > 0) {
      const waits = short.map(({ name, need, level, rate }) => ({ name, seconds: Math.max(1, Math.ceil((need - level.tokens) / rate.perSecond)) }));
      const longest = waits.reduce((a, b) => (b.seconds > a.seconds ? b : a));
      const { burst, perSecond } = limits[longest.name];
      countRateLimitRefusal(longest.name.startsWith('tenant') ? 'tenant' : 'principal', longest.name.endsWith('Mutations') ? 'mutation' : 'request');
      const message = `Too many ${WHAT[longest.name]}: at most ${burst} at once and ${perSecond} a second (${longest.name}); retry after ${longest.seconds} s`;
      return new RateLimitedError(message, { limit: longest.name, burst, perSecond, retryAfterSeconds: longest.seconds });
    }
    forgetFullBuckets(at);
    for (const { key, need, level } of levels) buckets.set(key, { tokens: level.tokens - need, at });
    return null;
  };

  const owners = ({ tenantId, id }: RateLimitedCaller) => ({ tenant: JSON.stringify([tenantId]), principal: JSON.stringify([tenantId, id]) });

  return {
    takeRequest(caller) {
      const { tenant, principal } = owners(caller);
      return take([['principalRequests', principal], ['tenantRequests', tenant]], 1);
    },
    takeMutations(caller, count) {
      const { tenant, principal } = owners(caller);
      return take([['principalMutations', principal], ['tenantMutations', tenant]], count);
    },
  };
};
