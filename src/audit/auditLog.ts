import { type JSONWebKeySet } from 'jose';
import { type EventStore } from '../eventstore';
import { type LoadedKey } from '../auth/keyFile';
import { InternalError, NotFoundError, ValidationError } from '../errors';
import { type ReadModelDatabase, type SignedHeadStore, auditLogSize, auditLogSubtrees, auditRowByEventId } from '../readmodel';
import { auditKeySet } from './auditKey';
import { exportText } from './exportLog';
import { type AuditIntegrityView, checkAuditIntegrity } from './integrity';
import { type ExportChoice, checkSince } from './exportRequest';
import { toHex } from './logEntry';
import { consistencyProof, inclusionProof, treeHash } from './merkle';
import { type SignedTreeHead, signTreeHead } from './signedHead';

/** An RFC 9162 proof as the API answers it: an audit path (with `leafIndex`) or a consistency proof (with `fromSize`). */
export interface AuditProofView {
  leafIndex: number | null;
  fromSize: number | null;
  treeSize: number;
  rootHash: string;
  hashes: string[];
}

/** Each tenant's verifiable audit log: signed heads and proofs over the tree the audit projection keeps. */
export interface AuditLog {
  /** The tenant's current tree head, signed; the last one signed when the log has not grown since. */
  head(tenantId: string): Promise<SignedTreeHead>;
  /** The audit path of an entry in the tree of `treeSize` leaves (default: the whole log). */
  inclusionProof(tenantId: string, entryId: string, treeSize?: number | null): AuditProofView;
  /** The proof that the tree of `toSize` leaves (default: the whole log) extends that of `fromSize`. */
  consistencyProof(tenantId: string, fromSize: number, toSize?: number | null): AuditProofView;
  /** The public key that verifies heads, as a JWKS. */
  keySet(): JSONWebKeySet;
  /** Recomputes the tenant's log from the events and holds the read model and the last signed head to it. */
  integrity(tenantId: string): Promise<AuditIntegrityView>;
  /** An export of the tenant's log cut at a head signed now: the head, and the text, produced as it is read. */
  exportLog(tenantId: string, choice: ExportChoice): Promise<{ head: SignedTreeHead; chunks: Iterable<string> }>;
}

/** What the audit log is built on. */
export interface AuditLogOptions {
  /** The events, for the integrity check; a reader of the log alone (an export) does without. */
  store?: EventStore;
  db: ReadModelDatabase;
  heads: SignedHeadStore;
  key: LoadedKey;
  now: () => Date;
}

const sizeViolation = (field: string, message: string) => new ValidationError([{ field, rule: 'treeSize', message }]);

/** A requested tree size: a whole number from `min` to the log's size. */
const checkedSize = (field: string, value: number, min: number, size: number): number => {
  if (!Number.isInteger(value) || value < min) throw sizeViolation(field, `${field} must be a whole number of at least ${min}; it is ${value}`);
  if (value > size) throw sizeViolation(field, `${field} must be at most the log's current size, ${size}; it is ${value}`);
  return value;
};

/** The audit log of the read model's trees, signing heads with `key` and remembering them in `heads`. */
export const createAuditLog = ({ store, db, heads, key, now }: AuditLogOptions): AuditLog => ({
  async integrity(tenantId) {
    if (!store) throw new InternalError('This audit log was opened without its event store: the integrity check needs the events');
    return checkAuditIntegrity({ store, db, heads, keys: auditKeySet(key) }, tenantId, now());
  },

  async exportLog(tenantId, choice) {
    const head = await this.head(tenantId);
    checkSince(choice.since, head.treeSize);
    return { head, chunks: exportText(db, { head, ...choice }) };
  },

  async head(tenantId) {
    const size = auditLogSize(db, tenantId);
    const subtrees = auditLogSubtrees(db, tenantId);
    const rootHash = toHex(treeHash(subtrees, size));
    const last = heads.latest(tenantId);
    if (last && last.treeSize === size && last.rootHash === rootHash) return last;
    if (last && (last.treeSize > size || toHex(treeHash(subtrees, last.treeSize)) !== last.rootHash)) {
      // Never sign a head that does not extend one already signed: reviewers hold us to those.
      throw new InternalError(
        `The audit log of this tenant no longer extends the head signed at size ${last.treeSize}: no new head is signed. ` +
          'Run the auditLogIntegrity check.',
      );
    }
    const head = await signTreeHead(key, { tenantId, treeSize: size, rootHash, timestamp: now().toISOString() });
    heads.record(head);
    return head;
  },

  inclusionProof(tenantId, entryId, treeSize) {
    const row = auditRowByEventId(db, tenantId, entryId.trim().toLowerCase());
    if (!row) throw new NotFoundError(`No audit entry ${entryId}`);
    const size = auditLogSize(db, tenantId);
    const n = checkedSize('treeSize', treeSize ?? size, 1, size);
    if (n <= row.leaf_index) {
      throw sizeViolation('treeSize', `The entry is leaf ${row.leaf_index}: treeSize must be more than ${row.leaf_index} to include it; it is ${n}`);
    }
    const subtrees = auditLogSubtrees(db, tenantId);
    return {
      leafIndex: row.leaf_index,
      fromSize: null,
      treeSize: n,
      rootHash: toHex(treeHash(subtrees, n)),
      hashes: inclusionProof(subtrees, row.leaf_index, n).map(toHex),
    };
  },

  consistencyProof(tenantId, fromSize, toSize) {
    const size = auditLogSize(db, tenantId);
    const to = checkedSize('toSize', toSize ?? size, 0, size);
    const from = checkedSize('fromSize', fromSize, 0, size);
    if (from > to) throw sizeViolation('fromSize', `fromSize must be at most toSize, ${to}; it is ${from}`);
    const subtrees = auditLogSubtrees(db, tenantId);
    return { leafIndex: null, fromSize: from, treeSize: to, rootHash: toHex(treeHash(subtrees, to)), hashes: consistencyProof(subtrees, from, to).map(toHex) };
  },

  keySet: () => auditKeySet(key),
});
