import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import canonicalize from 'canonicalize';
import { parse } from 'csv-parse';
import { CSV_COLUMNS, EXPORT_FORMAT, type ExportEntry, type ExportRecord, readableCells } from './exportFormat';
import { type AuditLogEntry } from './logEntry';

/** A record of an export file and the line it starts on. */
export interface NumberedRecord {
  line: number;
  record: ExportRecord;
}

/** The export file is not one `verify` can read: names the line and what is wrong. */
export class ExportFormatError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string';
const isTextOrNull = (value: unknown) => value === null || isText(value);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** The first member of an entry that is missing or of the wrong type; null when it has them all. */
const entryProblem = (entry: unknown): string | null => {
  if (!isObject(entry)) return 'an entry record needs an object "entry"';
  const checks: [string, boolean][] = [
    ['leafIndex', isCount(entry.leafIndex)],
    ['tenantId', isText(entry.tenantId)],
    ['eventId', isText(entry.eventId)],
    ['action', isText(entry.action)],
    ['clientId', isText(entry.clientId)],
    ['clientName', isText(entry.clientName)],
    ['version', isCount(entry.version)],
    ['actor', isObject(entry.actor) && isText(entry.actor.id) && isTextOrNull(entry.actor.name)],
    ['occurredAt', isText(entry.occurredAt)],
    ['reason', isTextOrNull(entry.reason)],
    ['operationId', isText(entry.operationId)],
    ['correlationId', isText(entry.correlationId)],
    ['changes', Array.isArray(entry.changes) && entry.changes.every((change) => isObject(change) && isText(change.field))],
  ];
  const bad = checks.find(([, ok]) => !ok);
  return bad ? `the entry's "${bad[0]}" is missing or not of its type` : null;
};

const HEX = /^[0-9a-f]{64}$/;
const isHashList = (value: unknown): value is string[] => Array.isArray(value) && value.every((hash) => isText(hash) && HEX.test(hash));

/** Checks one parsed record's shape; answers it typed, or throws naming the line. */
export const checkedRecord = (value: unknown, line: number): ExportRecord => {
  if (!isObject(value)) throw new ExportFormatError(line, 'a record must be a JSON object');
  const problem = ((): string | null => {
    switch (value.type) {
      case 'export':
        return value.format === EXPORT_FORMAT && isText(value.tenantId) && isCount(value.treeSize) && isObject(value.filter)
          ? null
          : `the header must be {"type":"export","format":"${EXPORT_FORMAT}",tenantId,treeSize,filter}`;
      case 'entry':
        return entryProblem(value.entry) ?? (isText(value.leafHash) && HEX.test(value.leafHash) ? null : 'an entry needs "leafHash", 64 lowercase hex digits') ??
          (value.proof === undefined || isHashList(value.proof) ? null : '"proof" must be a list of 64-digit lowercase hex hashes');
      case 'consistency':
        return isCount(value.fromSize) && isHashList(value.hashes) ? null : 'a consistency record needs "fromSize" and "hashes"';
      case 'head': {
        const head = value.head;
        return isObject(head) && isText(head.tenantId) && isCount(head.treeSize) && isText(head.rootHash) && isText(head.timestamp) && isText(head.signature)
          ? null
          : 'the head needs tenantId, treeSize, rootHash, timestamp and signature';
      }
      default:
        return `unknown record type ${JSON.stringify(value.type)} (expected export, entry, consistency or head)`;
    }
  })();
  if (problem) throw new ExportFormatError(line, problem);
  return value as unknown as ExportRecord;
};

async function* ndjsonRecords(file: string): AsyncGenerator<NumberedRecord> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ExportFormatError(line, 'not JSON');
    }
    yield { line, record: checkedRecord(value, line) };
  }
}

/** A CSV entry row's record: its `json` cell must be the canonical entry, and every readable cell must say the same. */
const csvEntry = (row: Record<string, string>, line: number): ExportRecord => {
  let entry: unknown;
  try {
    entry = JSON.parse(row.json);
  } catch {
    throw new ExportFormatError(line, 'the "json" cell is not JSON');
  }
  const record = checkedRecord({ type: 'entry', entry, leafHash: row.leafHash, ...(row.proof ? { proof: row.proof.split(' ') } : {}) }, line) as ExportEntry;
  if (canonicalize(entry) !== row.json) throw new ExportFormatError(line, 'the "json" cell is not in canonical form (RFC 8785)');
  const expected = readableCells(record);
  const differing = CSV_COLUMNS.find((column) => expected[column] !== row[column]);
  if (differing) {
    throw new ExportFormatError(line, `the "${differing}" cell says ${JSON.stringify(row[differing])}, but the entry's canonical bytes say ${JSON.stringify(expected[differing])}`);
  }
  return { ...record, entry: entry as AuditLogEntry };
};

async function* csvRecords(file: string): AsyncGenerator<NumberedRecord> {
  const parser = createReadStream(file).pipe(parse({ columns: true, info: true, relax_column_count: false }));
  try {
    for await (const { record: row, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      const line = info.lines;
      if (row.record === 'entry') {
        yield { line, record: csvEntry(row, line) };
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(row.json);
      } catch {
        throw new ExportFormatError(line, 'the "json" cell is not JSON');
      }
      yield { line, record: checkedRecord(value, line) };
    }
  } catch (error) {
    if (error instanceof ExportFormatError) throw error;
    throw new ExportFormatError((error as { lines?: number }).lines ?? 0, `not CSV as an export writes it (${(error as Error).message})`);
  }
}

/** The records of an export file, NDJSON or CSV (told apart by the first character: `{` or not). */
export async function* readExport(file: string): AsyncGenerator<NumberedRecord> {
  const firstChar = await new Promise<string>((resolve, reject) => {
    const stream = createReadStream(file, { start: 0, end: 0, encoding: 'utf8' });
    let text = '';
    stream.on('data', (chunk) => (text += String(chunk)));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
  yield* firstChar === '{' ? ndjsonRecords(file) : csvRecords(file);
}
