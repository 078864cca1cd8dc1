import { type Page } from '../readmodel';

/** A Relay connection object from a read-model page; `totalCount` is counted only if the query asks. */
export const toConnection = <T>(page: Page<T>) => ({
  edges: page.edges,
  nodes: page.edges.map((edge) => edge.node),
  get totalCount() {
    return page.totalCount;
  },
  pageInfo: {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: page.edges[0]?.cursor ?? null,
    endCursor: page.edges.at(-1)?.cursor ?? null,
  },
});
