import { createHash } from 'node:crypto';

/** The ids one command of a keyed request uses: the same on every retry of the request. */
export interface CommandIds {
  /** The id of an added client that names none. */
  clientId: () => string;
  /** The id of the command's `index`-th event. */
  eventId: (index: number) => string;
}

/** A name-based UUID (version 8, RFC 9562) from SHA-256 over the parts, each ended by a NUL so no two lists collide. */
const derivedUuid = (parts: readonly string[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  const bytes = hash.digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/**
 * The ids of the `command`-th mutation of a request sent with an Idempotency-Key, derived from
 * the tenant, the principal, the key, the request's fingerprint and the command's place, so a
 * retried append carries the ids of the first attempt and the store recognizes it, while the
 * same key reused for another request (once expired) never meets the first request's ids.
 */
export const idempotentCommandIds = (
  request: { tenantId: string; principalId: string; key: string; fingerprint: string },
  command: number,
): CommandIds => {
  const base = ['idempotency-key/v1', request.tenantId, request.principalId, request.key, request.fingerprint, String(command)];
  return {
    clientId: () => derivedUuid([...base, 'client']),
    eventId: (index) => derivedUuid([...base, 'event', String(index)]),
  };
};
