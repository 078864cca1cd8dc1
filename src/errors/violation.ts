/**
 * Every `violations[].rule` an answer can carry, in one vocabulary: the input rules of
 * DESIGN.md §3 (and the free-text reason), then the rules of a request around them.
 */
export const RULES = [
  // Values of a client and of a command (src/domain).
  'uuid',
  'name',
  'tokenLifetime',
  'redirectUrl',
  'tooMany',
  'lastRedirectUrl',
  'corsOrigin',
  'uri',
  'tag',
  'reason',
  // A version of a client (revert, time travel), and arguments that exclude each other.
  'version',
  'oneOf',
  // List filters and paging.
  'search',
  'cursor',
  'pageSize',
  // The audit log: proofs and exports.
  'treeSize',
  'time',
  // The HTTP request and its headers.
  'method',
  'json',
  'position',
  'idempotencyKey',
  // The GraphQL request: its document, variables and operation.
  'syntax',
  'schema',
  'variables',
  'request',
  'operationName',
  'persistedQuery',
  // Operator endpoints: which projection to rebuild.
  'projection',
] as const;

/** A rule an input or request can break. */
export type Rule = (typeof RULES)[number];

/** One broken rule of one input field; `index` points into a list field. */
export interface Violation {
  field: string;
  rule: Rule;
  message: string;
  index?: number;
}

const KNOWN: ReadonlySet<string> = new Set(RULES);

/** Whether `value` is one of the rules answers carry. */
export const isRule = (value: unknown): value is Rule => typeof value === 'string' && KNOWN.has(value);
