import { type IncomingMessage } from 'node:http';
import { type Principal } from '../auth';
import { retryAfterOf } from '../graphql/rateLimitPlugin';
import { Refusal } from './answer';
import { type RateLimiter } from './rateLimiter';

/** Charges one request to the caller's and its tenant's buckets; refuses it (429, Retry-After) before its body is read when one is empty. */
export const chargeRequest = (req: IncomingMessage, limiter: RateLimiter, principal: Principal): void => {
  const refused = limiter.takeRequest(principal);
  if (!refused) return;
  req.resume();
  throw new Refusal(refused, { 'Retry-After': retryAfterOf(refused) });
};
