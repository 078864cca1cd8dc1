import Database from 'better-sqlite3';
import { type SignedTreeHead } from '../audit/signedHead';

/**
 * The tree heads this service has signed, per tenant (file `audit-heads.db` in DATA_DIR). Unlike
 * the read model it cannot be rebuilt from the events: it is the service's own memory of what it
 * vouched for, which the integrity check holds the recomputed tree to. Fully durable.
 */
export interface SignedHeadStore {
  /** The largest head signed for the tenant, or null. */
  latest(tenantId: string): SignedTreeHead | null;
  /** Keeps a signed head (once per tenant and size; a second one for the same size is ignored). */
  record(head: SignedTreeHead): void;
  close(): void;
}

interface HeadRow {
  tenant_id: string;
  tree_size: number;
  root_hash: string;
  timestamp: string;
  signature: string;
}

/** Opens (creating if needed) the signed-head store at `file`. */
export const openSignedHeadStore = (file: string): SignedHeadStore => {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS signed_heads (
      tenant_id TEXT NOT NULL,
      tree_size INTEGER NOT NULL,
      root_hash TEXT NOT NULL,
      timestamp TEXT NOT NULL,
      signature TEXT NOT NULL,
      PRIMARY KEY (tenant_id, tree_size)
    ) STRICT, WITHOUT ROWID;
  `);
  const latest = db.prepare<[string], HeadRow>('SELECT * FROM signed_heads WHERE tenant_id = ? ORDER BY tree_size DESC LIMIT 1');
  const insert = db.prepare<HeadRow>(
    `INSERT INTO signed_heads (tenant_id, tree_size, root_hash, timestamp, signature)
     VALUES (@tenant_id, @tree_size, @root_hash, @timestamp, @signature) ON CONFLICT DO NOTHING`,
  );
  return {
    latest(tenantId) {
      const row = latest.get(tenantId);
      return row
        ? { tenantId: row.tenant_id, treeSize: row.tree_size, rootHash: row.root_hash, timestamp: row.timestamp, signature: row.signature }
        : null;
    },
    record(head) {
      insert.run({
        tenant_id: head.tenantId,
        tree_size: head.treeSize,
        root_hash: head.rootHash,
        timestamp: head.timestamp,
        signature: head.signature,
      });
    },
    close: () => db.close(),
  };
};
