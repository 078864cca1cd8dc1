import { type PastClient } from '../../application/clientTimeTravel';
import { positionToToken } from '../../eventstore';
import { type ClientView } from '../../readmodel';

/** What a client's fields resolve from: the client as the read model shows it, or as it was (whose history ends then). */
export type ClientRoot = ClientView & {
  /** For a client as it was: the id of the last event applied, where its history stops. */
  historyThrough?: string;
};

/** A client as it was, in the shape its fields resolve from. */
export const pastClientRoot = (past: PastClient): ClientRoot => ({
  ...past.client,
  version: past.version,
  position: positionToToken(past.position),
  createdAt: past.createdAt,
  updatedAt: past.updatedAt,
  createdBy: past.createdBy,
  historyThrough: past.lastEventId,
});
