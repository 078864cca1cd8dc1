import { createHash, randomBytes } from 'node:crypto';

/** A new registration access token (RFC 7592): 32 random bytes, base64url. Only its hash is ever stored. */
export const newRegistrationToken = (): string => randomBytes(32).toString('base64url');

/** The SHA-256 of a token, lowercase hex: what the client's stream records and what a presented token is compared by. */
export const hashRegistrationToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
