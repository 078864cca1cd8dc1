import { type JSONWebKeySet } from 'jose';
import { auditTrailProjection, rebuildProjections } from '../../projections';
import { type EventStore } from '../eventstore';
import { silentLogger } from '../logger';
import { type ReadModelDatabase, type SignedHeadStore, auditLogSize, auditLogSubtrees, auditRowsInLeafOrder, logEntryOf, openReadModelDatabase } from '../readmodel';
import { entryLeafHash, toHex } from './logEntry';
import { type PerfectSubtrees, treeHash } from './merkle';
import { treeHeadProblem } from './signedHead';

/** The outcome of the integrity check of one tenant's audit log. */
export interface AuditIntegrityView {
  ok: boolean;
  tenantId: string;
  checkedAt: Date;
  /** Entries the tenant's log has when recomputed from the events. */
  eventsTreeSize: number;
  /** Entries the read model holds. */
  readModelTreeSize: number;
  /** Size of the last head this service signed; null when it never signed one. */
  headTreeSize: number | null;
  /** Root of the tree recomputed from the events. */
  rootHash: string;
  /** What does not match, first problem first; empty when all is well. */
  problems: string[];
}

/** What the check reads: the store (the truth), the read model, the signed heads and the key that signed them. */
export interface IntegritySources {
  store: EventStore;
  db: ReadModelDatabase;
  heads: SignedHeadStore;
  keys: JSONWebKeySet;
}

/** All the tenant's entries in leaf order. */
const rowsOf = (db: ReadModelDatabase, tenantId: string) => auditRowsInLeafOrder(db, { tenantId, treeSize: Number.MAX_SAFE_INTEGER });

/** The read model's rows against their own hashes and against the rows recomputed from the events; the first difference only. */
const compareEntries = (live: ReadModelDatabase, fresh: ReadModelDatabase, tenantId: string): string[] => {
  const recomputed = rowsOf(fresh, tenantId);
  let expected = 0;
  for (const row of rowsOf(live, tenantId)) {
    const where = `leaf ${row.leaf_index} (event ${row.event_id}) of the read model`;
    if (row.leaf_index !== expected) return [`${where} is where leaf ${expected} should be: an entry was removed, inserted or moved`];
    if (toHex(entryLeafHash(logEntryOf(row))) !== row.leaf_hash) return [`${where} does not match its own leaf hash: the entry was edited`];
    const truth = recomputed.next();
    if (truth.done) return [`${where} has no event behind it: the events make only ${expected} entries`];
    if (truth.value.event_id !== row.event_id || truth.value.leaf_hash !== row.leaf_hash) {
      return [`${where} differs from the entry the events make there (event ${truth.value.event_id}, leaf hash ${truth.value.leaf_hash})`];
    }
    expected += 1;
  }
  return [];
};

/** The last signed head against its signature, the events' tree and the read model's tree. */
const compareHead = async (sources: IntegritySources, tenantId: string, trees: { events: PerfectSubtrees; eventsSize: number; live: PerfectSubtrees; liveSize: number }) => {
  const head = sources.heads.latest(tenantId);
  if (!head) return { headTreeSize: null, problems: [] };
  const problems: string[] = [];
  const signature = await treeHeadProblem(head, sources.keys);
  if (signature) problems.push(`the last signed head (size ${head.treeSize}): ${signature}`);
  const rootAt = (subtrees: PerfectSubtrees, size: number) => (head.treeSize <= size ? toHex(treeHash(subtrees, head.treeSize)) : null);
  if (rootAt(trees.events, trees.eventsSize) !== head.rootHash) {
    problems.push(`the events no longer give the root of the head signed at size ${head.treeSize} (${head.timestamp}): the event store was changed`);
  }
  if (rootAt(trees.live, trees.liveSize) !== head.rootHash) {
    problems.push(`the read model's tree no longer gives the root of the head signed at size ${head.treeSize} (${head.timestamp})`);
  }
  return { headTreeSize: head.treeSize, problems };
};

/**
 * Recomputes the tenant's log from the events (the audit projection, replayed into a scratch
 * database) and holds the read model and the last signed head to it. It reads every event of the
 * store: an on-demand check, not one for every request.
 */
export const checkAuditIntegrity = async (sources: IntegritySources, tenantId: string, now: Date): Promise<AuditIntegrityView> => {
  const fresh = openReadModelDatabase(':memory:');
  try {
    const liveSize = auditLogSize(sources.db, tenantId);
    const base = { tenantId, checkedAt: now, readModelTreeSize: liveSize };
    try {
      await rebuildProjections({ store: sources.store, db: fresh, projections: [auditTrailProjection], logger: silentLogger() });
    } catch (error) {
      const problem = `the events cannot be replayed into an audit trail: ${(error as Error).message}`;
      return { ...base, ok: false, eventsTreeSize: 0, headTreeSize: sources.heads.latest(tenantId)?.treeSize ?? null, rootHash: '', problems: [problem] };
    }
    const eventsSize = auditLogSize(fresh, tenantId);
    const trees = { events: auditLogSubtrees(fresh, tenantId), eventsSize, live: auditLogSubtrees(sources.db, tenantId), liveSize };
    const problems = compareEntries(sources.db, fresh, tenantId);
    if (problems.length === 0 && liveSize > 0 && toHex(treeHash(trees.live, liveSize)) !== toHex(treeHash(trees.events, liveSize))) {
      problems.push(`the read model's stored tree does not give the root of its own ${liveSize} entries`);
    }
    const head = await compareHead(sources, tenantId, trees);
    problems.push(...head.problems);
    return { ...base, ok: problems.length === 0, eventsTreeSize: eventsSize, headTreeSize: head.headTreeSize, rootHash: toHex(treeHash(trees.events, eventsSize)), problems };
  } finally {
    fresh.close();
  }
};
