/** A position in the transaction file, ordered by commit then prepare (EventStore.Core/Data/TFPos.cs). */
export interface TFPos {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** TFPos.HeadOfTf: (-1, -1), "before anything" for subscriptions and "the end" for reads. */
export const headOfTf: TFPos = { commit: -1n, prepare: -1n };

/** The position of a record that commits itself (an event of an implicit transaction): (p, p). */
export const selfCommitted = (logPosition: bigint): TFPos => ({ commit: logPosition, prepare: logPosition });

/** Negative, zero or positive as `a` is before, at or after `b`. */
export const compareTFPos = (a: TFPos, b: TFPos): number =>
  a.commit !== b.commit ? (a.commit < b.commit ? -1 : 1) : a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;

const maxUInt64 = (1n << 64n) - 1n;

/** Position.FromInt64 on the wire: -1 becomes 2^64-1 (Position.End), everything else is kept. */
export const toWirePosition = (value: bigint): string => (value === -1n ? maxUInt64 : value).toString();
