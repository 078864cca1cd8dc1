import { type CompletedSubtree, type Hash, type PerfectSubtrees, completedSubtrees } from '../audit/merkle';
import { type ReadModelDatabase, prepared } from './database';

/**
 * The `audit_log_nodes` table: each tenant's audit log as an RFC 9162 Merkle tree, kept as the
 * hashes of its perfect subtrees (level 0 the leaves; (level, idx) covers leaves
 * [idx·2^level, (idx+1)·2^level)). A perfect subtree never changes once complete, so rows are only
 * ever added; every root and proof is a short fold over them (src/audit/merkle.ts).
 */
export const createAuditLogTable = (db: ReadModelDatabase): void => {
  db.exec(`
    CREATE TABLE IF NOT EXISTS audit_log_nodes (
      tenant_id TEXT NOT NULL,
      level INTEGER NOT NULL,
      idx INTEGER NOT NULL,
      hash BLOB NOT NULL,
      PRIMARY KEY (tenant_id, level, idx)
    ) STRICT, WITHOUT ROWID;
  `);
};

/** Drops the `audit_log_nodes` table, for a rebuild. */
export const dropAuditLogTable = (db: ReadModelDatabase): void => {
  db.exec('DROP TABLE IF EXISTS audit_log_nodes');
};

/** How many leaves the tenant's log has. */
export const auditLogSize = (db: ReadModelDatabase, tenantId: string): number => {
  const row = prepared<[string], { size: number | null }>(
    db,
    'SELECT MAX(idx) + 1 AS size FROM audit_log_nodes WHERE tenant_id = ? AND level = 0',
  ).get(tenantId);
  return row?.size ?? 0;
};

/** The tenant's tree as the Merkle functions read it; a subtree that is not complete is an error. */
export const auditLogSubtrees = (db: ReadModelDatabase, tenantId: string): PerfectSubtrees => {
  const select = prepared<[string, number, number], { hash: Buffer }>(
    db,
    'SELECT hash FROM audit_log_nodes WHERE tenant_id = ? AND level = ? AND idx = ?',
  );
  return {
    hashAt(level, index) {
      const row = select.get(tenantId, level, index);
      if (!row) throw new RangeError(`The audit log of tenant ${tenantId} has no complete subtree at level ${level}, index ${index}`);
      return new Uint8Array(row.hash);
    },
  };
};

/** Appends the leaf at `leafIndex` (the log's size) to the tenant's tree, with every perfect subtree it completes. */
export const appendAuditLeaf = (db: ReadModelDatabase, tenantId: string, leafIndex: number, hash: Hash, subtrees = auditLogSubtrees(db, tenantId)): CompletedSubtree[] => {
  const insert = prepared<[string, number, number, Buffer]>(db, 'INSERT INTO audit_log_nodes (tenant_id, level, idx, hash) VALUES (?, ?, ?, ?)');
  const completed = completedSubtrees(subtrees, leafIndex, hash);
  for (const node of completed) insert.run(tenantId, node.level, node.index, Buffer.from(node.hash));
  return completed;
};

/** Appends leaves to the tenants' trees within one batch: each tenant's size read once, and the subtrees just written kept at hand. */
export interface AuditLogAppender {
  /** The index the tenant's next leaf gets: the log's size. */
  nextIndex(tenantId: string): number;
  /** Appends the tenant's next leaf. */
  append(tenantId: string, hash: Hash): void;
}

/** An appender for one batch (one transaction) over `db`. */
export const auditLogAppender = (db: ReadModelDatabase): AuditLogAppender => {
  const logs = new Map<string, { size: number; written: Map<string, Hash>; subtrees: PerfectSubtrees }>();
  const logOf = (tenantId: string) => {
    let log = logs.get(tenantId);
    if (!log) {
      const stored = auditLogSubtrees(db, tenantId);
      const written = new Map<string, Hash>();
      const subtrees = { hashAt: (level: number, index: number) => written.get(`${level}:${index}`) ?? stored.hashAt(level, index) };
      log = { size: auditLogSize(db, tenantId), written, subtrees };
      logs.set(tenantId, log);
    }
    return log;
  };
  return {
    nextIndex: (tenantId) => logOf(tenantId).size,
    append(tenantId, hash) {
      const log = logOf(tenantId);
      for (const node of appendAuditLeaf(db, tenantId, log.size, hash, log.subtrees)) log.written.set(`${node.level}:${node.index}`, node.hash);
      log.size += 1;
    },
  };
};
