import { type Violation, ValidationError } from '../errors';
import { UUID_PATTERN } from '../jsutils';
import { EXPORT_FORMATS, type ExportFilter, type ExportFormat } from './exportFormat';

/** An export as asked for, on the command line or in the download's query string: text, unchecked. */
export interface ExportAsked {
  client?: string | null;
  from?: string | null;
  to?: string | null;
  format?: string | null;
  since?: string | null;
}

/** An export as checked: the filter, the format and the kept size to prove consistency from. */
export interface ExportChoice {
  filter: ExportFilter;
  format: ExportFormat;
  since: number | null;
}

/** ISO 8601 date-times with a time zone, as DateTime values are written elsewhere in the API. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const timeOf = (field: string, text: string | null | undefined, violations: Violation[]): string | null => {
  if (text === null || text === undefined || text.trim() === '') return null;
  const time = new Date(text.trim());
  if (!DATE_TIME.test(text.trim()) || Number.isNaN(time.getTime())) {
    violations.push({ field, rule: 'time', message: `${field} must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T00:00:00Z; it is "${text}"` });
    return null;
  }
  return time.toISOString();
};

/** Checks what was asked for; every violation at once, each naming its field and rule. */
export const exportChoiceOf = (asked: ExportAsked): ExportChoice => {
  const violations: Violation[] = [];
  const client = asked.client?.trim() || null;
  if (client !== null && !UUID_PATTERN.test(client)) {
    violations.push({ field: 'client', rule: 'uuid', message: `client must be a client id (a UUID); it is "${client}"` });
  }
  const from = timeOf('from', asked.from, violations);
  const to = timeOf('to', asked.to, violations);
  if (from !== null && to !== null && from >= to) violations.push({ field: 'to', rule: 'time', message: 'to must be later than from' });
  const format = asked.format?.trim() || 'ndjson';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    violations.push({ field: 'format', rule: 'request', message: `format must be ${EXPORT_FORMATS.join(' or ')}; it is "${format}"` });
  }
  const sinceText = asked.since?.trim() || null;
  const since = sinceText === null ? null : Number(sinceText);
  if (since !== null && (!/^\d+$/.test(sinceText ?? '') || !Number.isSafeInteger(since))) {
    violations.push({ field: 'since', rule: 'treeSize', message: `since must be the size of a kept head, a whole number; it is "${sinceText}"` });
  }
  if (violations.length > 0) throw new ValidationError(violations);
  return { filter: { clientId: client?.toLowerCase() ?? null, from, to }, format: format as ExportFormat, since };
};

/** A `since` beyond the head's size is refused: the export cannot prove consistency with a head it has not reached. */
export const checkSince = (since: number | null, treeSize: number): void => {
  if (since !== null && since > treeSize) {
    throw new ValidationError([{ field: 'since', rule: 'treeSize', message: `since must be at most the log's size, ${treeSize}; it is ${since}` }]);
  }
};
