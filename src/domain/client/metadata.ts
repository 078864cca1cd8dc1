/** Who did something: the token's subject and display name. (Types, not interfaces: these are JSON objects as the store takes them.) */
export type Actor = {
  id: string;
  name: string | null;
};

/** The version of the event and metadata shapes this code writes. */
export const EVENT_SCHEMA_VERSION = 1;

/** Recorded with every client event: who, for which tenant, when, why, and as part of what. */
export type EventMetadata = {
  schemaVersion: number;
  tenantId: string;
  actor: Actor;
  /** The API operation (one GraphQL request) that caused the event. */
  operationId: string;
  /** Ties together everything done for one user action, across services. */
  correlationId: string;
  /** The message (command) that directly caused the event. */
  causationId: string;
  /** ISO 8601 time the command was decided. */
  occurredAt: string;
  reason: string | null;
};
