import { type ReadModelDatabase, auditLogSubtrees, auditRowsInLeafOrder, logEntryOf } from '../readmodel';
import { type ExportFilter, type ExportFormat, type ExportRecord, EXPORT_FORMAT, formatRecord, isFiltered } from './exportFormat';
import { toHex } from './logEntry';
import { consistencyProof, inclusionProof } from './merkle';
import { type SignedTreeHead } from './signedHead';

/** What to export: the entries of `filter` in the tree of `head`, and optionally a consistency proof from `since`. */
export interface ExportRequest {
  head: SignedTreeHead;
  filter: ExportFilter;
  format: ExportFormat;
  /** A size the reader kept a head at: the export then proves the head extends it. */
  since?: number | null;
}

/**
 * The export's records, oldest entry first: the header, the entries, the consistency proof when
 * asked, and last the signed head it was cut at. It reads only leaves below the head's size, which
 * never change, so it needs no long transaction and the server may keep writing meanwhile.
 */
export function* exportRecords(db: ReadModelDatabase, { head, filter, since }: Omit<ExportRequest, 'format'>): Generator<ExportRecord> {
  const { tenantId, treeSize } = head;
  yield { type: 'export', format: EXPORT_FORMAT, tenantId, treeSize, filter };
  const subtrees = auditLogSubtrees(db, tenantId);
  const withProofs = isFiltered(filter);
  const slice = { tenantId, treeSize, clientId: filter.clientId, from: filter.from ? new Date(filter.from) : null, to: filter.to ? new Date(filter.to) : null };
  for (const row of auditRowsInLeafOrder(db, slice)) {
    const proof = withProofs ? { proof: inclusionProof(subtrees, row.leaf_index, treeSize).map(toHex) } : {};
    yield { type: 'entry', entry: logEntryOf(row), leafHash: row.leaf_hash, ...proof };
  }
  if (since !== null && since !== undefined) {
    yield { type: 'consistency', fromSize: since, hashes: consistencyProof(subtrees, since, treeSize).map(toHex) };
  }
  yield { type: 'head', head };
}

/** The export as text chunks of its format, for a stream. */
export function* exportText(db: ReadModelDatabase, request: ExportRequest): Generator<string> {
  let first = true;
  for (const record of exportRecords(db, request)) {
    yield formatRecord(record, request.format, first);
    first = false;
  }
}
