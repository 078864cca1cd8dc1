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

const decodeCursor = (field: 'after' | 'before', cursor: string, kind: string, arity: number): (string | number)[] => {
  const refuse = (message: string) => new ValidationError([{ field, rule: 'cursor', message }]);
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse(`'${field}' is not a cursor this API gave out`);
  }
  if (
    !Array.isArray(parts) ||
    parts.length !== arity + 1 ||
    !parts.every((part) => typeof part === 'string' || typeof part === 'number')
  ) {
    throw refuse(`'${field}' is not a cursor this API gave out`);
  }
  if (parts[0] !== kind) throw refuse(`'${field}' is a cursor of another ordering or list; start again without it`);
  return (parts as (string | number)[]).slice(1);
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

/** Checks connection arguments and decodes their cursors for an order of the given kind and key arity. */
export const resolvePage = (args: PageArgs, kind: string, arity: number): PageRequest => {
  const has = (value: unknown) => value !== undefined && value !== null;
  if (has(args.first) && has(args.last)) {
    throw new ValidationError([
      { field: 'last', rule: 'pageSize', message: "Give either 'first' (page forward) or 'last' (page backward), not both" },
    ]);
  }
  const backward = has(args.last);
  return {
    direction: backward ? 'backward' : 'forward',
    size: backward ? pageSize('last', args.last!) : has(args.first) ? pageSize('first', args.first!) : DEFAULT_PAGE_SIZE,
    after: has(args.after) ? decodeCursor('after', args.after!, kind, arity) : null,
    before: has(args.before) ? decodeCursor('before', args.before!, kind, arity) : null,
  };
};
