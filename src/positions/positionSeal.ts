import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import { type Position } from '../eventstore';

/**
 * Positions as a tenant sees them: sealed (encrypted and authenticated) for that tenant, so they
 * reveal nothing of how many events other tenants wrote, and a tenant can send back only what it
 * was given.
 */
export interface PositionSeal {
  /** The opaque token of `position` for `tenantId`: the same position gives the same token. */
  seal(tenantId: string, position: Position): string;
  /** The position a token of `seal` holds, or null when it is not one sealed with this key for this tenant. */
  open(tenantId: string, token: string): Position | null;
}

const PREFIX = 'p1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PLAIN_BYTES = 16;
const TOKEN_BYTES = IV_BYTES + PLAIN_BYTES + TAG_BYTES;
const MAX_U64 = (1n << 64n) - 1n;

const plainOf = (position: Position): Buffer => {
  const plain = Buffer.alloc(PLAIN_BYTES);
  plain.writeBigUInt64BE(position.commit, 0);
  plain.writeBigUInt64BE(position.prepare, 8);
  return plain;
};

/**
 * A seal over a secret of at least 32 bytes. AES-256-GCM with a synthetic IV (an HMAC of the
 * tenant and the position, as SIV modes do): deterministic, so equal positions give equal tokens,
 * and no IV is ever reused for two different plaintexts. The tenant id is the associated data.
 */
export const createPositionSeal = (secret: Buffer): PositionSeal => {
  if (secret.length < 32) throw new RangeError('A position key needs at least 32 bytes');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));
  const encryptionKey = derive('position-seal/v1 encryption');
  const ivKey = derive('position-seal/v1 iv');
  return {
    seal(tenantId, position) {
      if (position.commit < 0n || position.commit > MAX_U64 || position.prepare < 0n || position.prepare > MAX_U64) {
        throw new RangeError('A position is two unsigned 64-bit numbers');
      }
      const plain = plainOf(position);
      const iv = createHmac('sha256', ivKey).update(tenantId).update('\0').update(plain).digest().subarray(0, IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      cipher.setAAD(Buffer.from(tenantId, 'utf8'));
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return `${PREFIX}${sealed.toString('base64url')}`;
    },
    open(tenantId, token) {
      const text = token.trim();
      if (!text.startsWith(PREFIX) || !/^[A-Za-z0-9_-]+$/.test(text.slice(PREFIX.length))) return null;
      const sealed = Buffer.from(text.slice(PREFIX.length), 'base64url');
      if (sealed.length !== TOKEN_BYTES) return null;
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(tenantId, 'utf8'));
      decipher.setAuthTag(sealed.subarray(IV_BYTES + PLAIN_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, IV_BYTES + PLAIN_BYTES)), decipher.final()]);
      } catch {
        return null;
      }
      return { commit: plain.readBigUInt64BE(0), prepare: plain.readBigUInt64BE(8) };
    },
  };
};
