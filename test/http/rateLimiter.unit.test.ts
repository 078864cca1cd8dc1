import { type RateLimits, createRateLimiter } from '../../src/http/rateLimiter';

const LIMITS: RateLimits = {
  principalRequests: { burst: 5, perSecond: 1 },
  principalMutations: { burst: 3, perSecond: 2 },
  tenantRequests: { burst: 8, perSecond: 4 },
  tenantMutations: { burst: 100, perSecond: 0 },
};

describe('the rate limiter’s token buckets', () => {
  let clock = 0;
  const limiter = () => createRateLimiter(LIMITS, () => clock);
  beforeEach(() => {
    clock = 1_000_000;
  });
  const alice = { tenantId: 't1', id: 'alice' };
  const bob = { tenantId: 't1', id: 'bob' };

  it('lets a burst through, then refuses with the bucket and when to retry, and refills with time', () => {
    const rates = limiter();
    for (let i = 0; i < 5; i += 1) expect(rates.takeRequest(alice)).toBeNull();
    const refused = rates.takeRequest(alice);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'principalRequests', burst: 5, perSecond: 1, retryAfterSeconds: 1 } });
    expect(refused!.message).toBe('Too many requests from one caller: at most 5 at once and 1 a second (principalRequests); retry after 1 s');
    clock += 999;
    expect(rates.takeRequest(alice)).not.toBeNull();
    clock += 1;
    expect(rates.takeRequest(alice)).toBeNull();
  });

  it('charges the tenant too, and takes nothing from anyone when one bucket is short', () => {
    const rates = limiter();
    for (let i = 0; i < 5; i += 1) expect(rates.takeRequest(alice)).toBeNull();
    for (let i = 0; i < 3; i += 1) expect(rates.takeRequest(bob)).toBeNull();
    expect(rates.takeRequest(bob)).toMatchObject({ details: { limit: 'tenantRequests', retryAfterSeconds: 1 } });
    // Bob was refused by the tenant's bucket: his own still holds 2.
    clock += 500;
    expect(rates.takeRequest(bob)).toBeNull();
    expect(rates.takeRequest(bob)).toBeNull();
    expect(rates.takeRequest({ tenantId: 't2', id: 'alice' })).toBeNull();
  });

  it('charges every mutation of an operation at once, waits as long as the deepest shortfall, and skips buckets turned off', () => {
    const rates = limiter();
    expect(rates.takeMutations(alice, 2)).toBeNull();
    expect(rates.takeMutations(alice, 3)).toMatchObject({ details: { limit: 'principalMutations', retryAfterSeconds: 1 } });
    expect(rates.takeMutations(alice, 1)).toBeNull();
    // More than the burst is charged as a full bucket, so it can pass once the bucket is full again.
    clock += 1500;
    expect(rates.takeMutations(alice, 10)).toBeNull();
    expect(rates.takeMutations(alice, 10)).toMatchObject({ details: { retryAfterSeconds: 2 } });
  });
});
