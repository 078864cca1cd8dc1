import canonicalize from 'canonicalize';
import { type Hash, leafHash } from './merkle';

/** A JSON value as an entry holds it. */
export type LogJson = string | number | boolean | null | LogJson[] | { [key: string]: LogJson };

/** One field an entry's event changed. */
export interface LogChange {
  field: string;
  before: LogJson;
  after: LogJson;
}

/**
 * One leaf of a tenant's audit log: everything the API shows of an audit entry except the store's
 * global position (not the tenant's to see, and it may change form), plus its place in the log.
 * docs/audit.md describes each member; its canonical bytes are what the leaf hash covers.
 */
export interface AuditLogEntry {
  leafIndex: number;
  tenantId: string;
  eventId: string;
  action: string;
  clientId: string;
  clientName: string;
  /** The client's version right after this change (events in its stream so far). */
  version: number;
  actor: { id: string; name: string | null };
  /** ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
  occurredAt: string;
  reason: string | null;
  operationId: string;
  correlationId: string;
  changes: LogChange[];
}

/** The entry's canonical bytes: UTF-8 of its RFC 8785 (JSON Canonicalization Scheme) serialization. */
export const entryBytes = (entry: AuditLogEntry): Uint8Array => Buffer.from(canonicalize(entry) ?? '', 'utf8');

/** The entry's leaf hash, SHA-256(0x00 || canonical bytes) (RFC 9162 §2.1.1). */
export const entryLeafHash = (entry: AuditLogEntry): Hash => leafHash(entryBytes(entry));

/** Lowercase hex of a hash, as every hash is written on the wire and in exports. */
export const toHex = (hash: Hash): string => Buffer.from(hash).toString('hex');

const HEX_HASH = /^[0-9a-f]{64}$/;

/** A hash from its lowercase hex; null when the text is not 64 lowercase hex digits. */
export const fromHex = (text: unknown): Hash | null =>
  typeof text === 'string' && HEX_HASH.test(text) ? new Uint8Array(Buffer.from(text, 'hex')) : null;
