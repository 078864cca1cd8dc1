/**
 * A global position in the store. EventStoreDB gives two 64-bit numbers (commit, prepare);
 * the embedded store uses one sequence number for both.
 */
export interface Position {
  commit: bigint;
  prepare: bigint;
}

/** Orders two positions: negative when `a` is before `b`, zero when equal. */
export const comparePositions = (a: Position, b: Position): number =>
  a.commit !== b.commit ? (a.commit < b.commit ? -1 : 1) : a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;

const TOKEN = /^(0|[1-9][0-9]{0,19})\.(0|[1-9][0-9]{0,19})$/;
const MAX_U64 = (1n << 64n) - 1n;

/** The opaque text form of a position given to callers (`Consistency-Position`, payload `position`). */
export const positionToToken = (position: Position): string => `${position.commit}.${position.prepare}`;

/** Reads a token made by `positionToToken`; `null` when it is not one. */
export const positionFromToken = (token: string): Position | null => {
  const match = TOKEN.exec(token.trim());
  if (!match) return null;
  const commit = BigInt(match[1]);
  const prepare = BigInt(match[2]);
  return commit > MAX_U64 || prepare > MAX_U64 ? null : { commit, prepare };
};
