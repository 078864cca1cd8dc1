/** Most distinct operation names the metrics keep as labels; later new names count as `__other`. */
export const MAX_OPERATION_LABELS = 100;

/** The label of a request without an operation name. */
export const ANONYMOUS_OPERATION = '__anonymous';

/** The label of an operation name that is not a GraphQL name, or came after the first MAX_OPERATION_LABELS. */
export const OTHER_OPERATION = '__other';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/**
 * Bounds the operation-name label: callers choose their operation names, so an unbounded label
 * would let anyone grow the metrics without limit. The first MAX_OPERATION_LABELS valid names
 * seen keep their own label; the rest share `__other`.
 */
export const createOperationLabels = (max: number = MAX_OPERATION_LABELS) => {
  const seen = new Set<string>();
  return (name: string | null | undefined): string => {
    if (name === null || name === undefined || name === '') return ANONYMOUS_OPERATION;
    if (!GRAPHQL_NAME.test(name)) return OTHER_OPERATION;
    if (seen.has(name)) return name;
    if (seen.size >= max) return OTHER_OPERATION;
    seen.add(name);
    return name;
  };
};
