import { LimitExceededError, ValidationError } from '../errors';

/** Relay connection arguments as the caller sent them. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A page request the queries can run: a direction, a size, and decoded cursors. */
export interface PageRequest {
  direction: 'forward' | 'backward';
  size: number;
  after: readonly (string | number)[] | null;
  before: readonly (string | number)[] | null;
}

/** One page of a connection. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number;
}

/** Page size when the caller names none. */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest page a caller may ask for. */
export const MAX_PAGE_SIZE = 100;

/** The opaque cursor of a row: its kind (the order it belongs to) and its sort key. */
export const encodeCursor = (kind: string, key: readonly (string | number)[]): string =>
  Buffer.from(JSON.stringify([kind, ...key]), 'utf8').toString('base64url');

/** The type of each part of an ordering's sort key, so a cursor can be checked before it reaches SQL. */
export type KeyType = 'string' | 'integer';

const isOfType = (part: unknown, type: KeyType): part is string | number =>
  type === 'string' ? typeof part === 'string' : Number.isSafeInteger(part);

const decodeCursor = (field: 'after' | 'before', cursor: string, kind: string, keyTypes: readonly KeyType[]): (string | number)[] => {
  const refuse = (message: string) => new ValidationError([{ field, rule: 'cursor', message }]);
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse(`'${field}' is not a cursor this API gave out`);
  }
  if (!Array.isArray(parts) || parts.length !== keyTypes.length + 1 || typeof parts[0] !== 'string') {
    throw refuse(`'${field}' is not a cursor this API gave out`);
  }
  if (parts[0] !== kind) throw refuse(`'${field}' is a cursor of another ordering or list; start again without it`);
  const key: unknown[] = parts.slice(1);
  // A key of the wrong type would compare by SQLite's type order and page through nonsense.
  if (!key.every((part, index) => isOfType(part, keyTypes[index]))) {
    throw refuse(`'${field}' is not a cursor this API gave out`);
  }
  return key;
};

const pageSize = (field: 'first' | 'last', value: number): number => {
  if (!Number.isInteger(value) || value < 0) {
    throw new ValidationError([{ field, rule: 'pageSize', message: `'${field}' must be a whole number of at least 0` }]);
  }
  if (value > MAX_PAGE_SIZE) {
    throw new LimitExceededError(`'${field}' may be at most ${MAX_PAGE_SIZE}`, {
      limit: 'pageSize',
      field,
      max: MAX_PAGE_SIZE,
      requested: value,
    });
  }
  return value;
};

/** Checks connection arguments and decodes their cursors for an order of the given kind and sort key types. */
export const resolvePage = (args: PageArgs, kind: string, keyTypes: readonly KeyType[]): PageRequest => {
  const { first, last, after, before } = args;
  if (first !== undefined && first !== null && last !== undefined && last !== null) {
    throw new ValidationError([
      { field: 'last', rule: 'pageSize', message: "Give either 'first' (page forward) or 'last' (page backward), not both" },
    ]);
  }
  const backward = last !== undefined && last !== null;
  return {
    direction: backward ? 'backward' : 'forward',
    size: backward ? pageSize('last', last) : first !== undefined && first !== null ? pageSize('first', first) : DEFAULT_PAGE_SIZE,
    after: after !== undefined && after !== null ? decodeCursor('after', after, kind, keyTypes) : null,
    before: before !== undefined && before !== null ? decodeCursor('before', before, kind, keyTypes) : null,
  };
};
