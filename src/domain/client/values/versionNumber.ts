import { type FieldRef, type Parsed, accept, refuse } from './parsed';

/** Reads a client version someone names (to revert to it, or to read the client as it was then): a whole number, at least 1. */
export const parseVersionNumber = (raw: number, at: FieldRef): Parsed<number> =>
  typeof raw === 'number' && Number.isInteger(raw) && raw >= 1
    ? accept(raw)
    : refuse(at, 'version', `${at.field} must be a whole number of at least 1, a version the client has had (got ${String(raw)})`);
