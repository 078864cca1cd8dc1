import canonicalize from 'canonicalize';
import { stringify } from 'csv-stringify/sync';
import { type AuditLogEntry } from './logEntry';
import { type SignedTreeHead } from './signedHead';

/** The export format's name and version, in its first record. */
export const EXPORT_FORMAT = 'audit-log-export/1';

/** The formats an export is written in. */
export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Which entries an export holds; all null: the whole log up to its head. */
export interface ExportFilter {
  clientId: string | null;
  /** ISO 8601: entries at or after. */
  from: string | null;
  /** ISO 8601: entries before. */
  to: string | null;
}

/** The first record: what the export is. */
export interface ExportHeader {
  type: 'export';
  format: typeof EXPORT_FORMAT;
  tenantId: string;
  treeSize: number;
  filter: ExportFilter;
}

/** One entry, with its leaf hash and (in a filtered export) its audit path in the head's tree. */
export interface ExportEntry {
  type: 'entry';
  entry: AuditLogEntry;
  leafHash: string;
  proof?: string[];
}

/** Asked for with `since`: the consistency proof from that earlier size to the head's. */
export interface ExportConsistency {
  type: 'consistency';
  fromSize: number;
  hashes: string[];
}

/** The last record: the signed head the export was cut at. */
export interface ExportHead {
  type: 'head';
  head: SignedTreeHead;
}

/** Any record of an export. */
export type ExportRecord = ExportHeader | ExportEntry | ExportConsistency | ExportHead;

/** Whether a filter selects a part of the log (so entries carry proofs). */
export const isFiltered = (filter: ExportFilter): boolean => filter.clientId !== null || filter.from !== null || filter.to !== null;

/** The CSV columns: the record kind, an entry's readable fields, and `json`, the record itself (for an entry, its canonical bytes). */
export const CSV_COLUMNS = [
  'record',
  'leafIndex',
  'occurredAt',
  'action',
  'clientId',
  'clientName',
  'version',
  'actorId',
  'actorName',
  'reason',
  'operationId',
  'correlationId',
  'eventId',
  'changes',
  'leafHash',
  'proof',
  'json',
] as const;

/** A spreadsheet would run a cell starting with one of these as a formula: such cells get a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A readable cell as the CSV holds it: text as is (null empty), a would-be formula behind an apostrophe. */
export const csvCell = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
};

/** The readable cells of an entry, keyed by column: what `verify` holds a CSV row's cells to. */
export const readableCells = (record: ExportEntry): Record<(typeof CSV_COLUMNS)[number], string> => {
  const { entry } = record;
  return {
    record: 'entry',
    leafIndex: csvCell(entry.leafIndex),
    occurredAt: csvCell(entry.occurredAt),
    action: csvCell(entry.action),
    clientId: csvCell(entry.clientId),
    clientName: csvCell(entry.clientName),
    version: csvCell(entry.version),
    actorId: csvCell(entry.actor.id),
    actorName: csvCell(entry.actor.name),
    reason: csvCell(entry.reason),
    operationId: csvCell(entry.operationId),
    correlationId: csvCell(entry.correlationId),
    eventId: csvCell(entry.eventId),
    changes: csvCell(JSON.stringify(entry.changes.map(({ field, before, after }) => ({ field, before, after })))),
    leafHash: record.leafHash,
    proof: (record.proof ?? []).join(' '),
    json: canonicalize(entry) ?? '',
  };
};

/** One record as a line of the format (with its line break); `first` adds the CSV header row. */
export const formatRecord = (record: ExportRecord, format: ExportFormat, first = false): string => {
  if (format === 'ndjson') return `${JSON.stringify(record)}\n`;
  const cells =
    record.type === 'entry'
      ? readableCells(record)
      : { ...Object.fromEntries(CSV_COLUMNS.map((column) => [column, ''])), record: record.type, json: JSON.stringify(record) };
  return stringify([CSV_COLUMNS.map((column) => cells[column as keyof typeof cells])], {
    header: first,
    columns: [...CSV_COLUMNS],
    eof: true,
  });
};
