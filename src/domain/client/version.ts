/**
 * A client's version: how many events its stream holds, so the revision of its last event plus
 * one, and 0 before the first. Callers pass it back as `expectedVersion`; the read model shows it.
 */
export const clientVersion = (revision: bigint | null): number => (revision === null ? 0 : Number(revision) + 1);
