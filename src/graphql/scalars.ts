import { DateTimeResolver, JSONResolver } from 'graphql-scalars';

/** ISO 8601 date-time scalar (`DateTime`). */
export const DateTimeScalar = DateTimeResolver;
/** Any JSON value (`JSON`), used for the before and after values of audit changes. */
export const JSONScalar = JSONResolver;
