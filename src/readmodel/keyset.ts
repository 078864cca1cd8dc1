import { type ReadModelDatabase, prepared } from './database';
import { type Page, type PageRequest, encodeCursor } from './pagination';

/** A keyset-paginated query over one table: filters, a two-column sort key, and a row mapper. */
export interface KeysetQuery<Row, Node> {
  table: string;
  /** SQL conditions joined with AND; `params` fills their placeholders in order. */
  where: string[];
  params: unknown[];
  /** Sort key: a column, then a unique tie-breaker column. */
  key: readonly [string, string];
  descending: boolean;
  /** Names the ordering, so a cursor of another ordering is refused. */
  kind: string;
  keyOf: (row: Row) => [string | number, string | number];
  toNode: (row: Row) => Node;
}

/** Runs a Relay page over a keyset: stable under inserts, no OFFSET scans. */
export const keysetPage = <Row, Node>(db: ReadModelDatabase, query: KeysetQuery<Row, Node>, page: PageRequest): Page<Node> => {
  const [k1, k2] = query.key;
  const keyTuple = `(${k1}, ${k2})`;
  const afterOp = query.descending ? '<' : '>';
  const beforeOp = query.descending ? '>' : '<';
  const where = [...query.where];
  const params = [...query.params];
  if (page.after) {
    where.push(`${keyTuple} ${afterOp} (?, ?)`);
    params.push(...page.after);
  }
  if (page.before) {
    where.push(`${keyTuple} ${beforeOp} (?, ?)`);
    params.push(...page.before);
  }
  const backward = page.direction === 'backward';
  const ascending = query.descending === backward;
  const order = `${k1} ${ascending ? 'ASC' : 'DESC'}, ${k2} ${ascending ? 'ASC' : 'DESC'}`;
  const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const rows = prepared(db, `SELECT * FROM ${query.table} ${whereSql} ORDER BY ${order} LIMIT ?`).all(...params, page.size + 1) as Row[];
  const more = rows.length > page.size;
  const pageRows = rows.slice(0, page.size);
  if (backward) pageRows.reverse();

  const baseWhere = query.where.length > 0 ? `${query.where.join(' AND ')} AND ` : '';
  const exists = (op: string, cursor: readonly (string | number)[]) =>
    prepared(db, `SELECT 1 FROM ${query.table} WHERE ${baseWhere}${keyTuple} ${op} (?, ?) LIMIT 1`).get(...query.params, ...cursor) !==
    undefined;
  const countSql = `SELECT COUNT(*) AS n FROM ${query.table} ${query.where.length > 0 ? `WHERE ${query.where.join(' AND ')}` : ''}`;
  let totalCount: number | undefined;
  return {
    edges: pageRows.map((row) => ({ cursor: encodeCursor(query.kind, query.keyOf(row)), node: query.toNode(row) })),
    hasNextPage: backward ? page.before !== null && exists(`${afterOp}=`, page.before) : more,
    hasPreviousPage: backward ? more : page.after !== null && exists(`${beforeOp}=`, page.after),
    /** Counted only when asked for: most pages (a client's history, say) never show it. */
    get totalCount() {
      totalCount ??= (prepared(db, countSql).get(...query.params) as { n: number }).n;
      return totalCount;
    },
  };
};
