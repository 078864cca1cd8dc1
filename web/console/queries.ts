import {
  type AuditEntryFieldsFragment,
  type AuditLogHeadFieldsFragment,
  type AuditPageFieldsFragment,
  type ClientFieldsFragment,
  type ClientPayloadFieldsFragment,
  type ConsoleClientsQuery,
  type ConsoleMatchRedirectUrlQuery,
  type ConsoleMeQuery,
} from './generated/graphql';

/*
 * Names for the shapes the console reads back. Each is a type GraphQL Code Generator makes from
 * schema/schema.graphql and the documents in documents/ (`npm run codegen`), never a copy.
 */

/** The signed-in caller. */
export type Me = ConsoleMeQuery['me'];

/** A client as the console shows it. */
export type Client = ClientFieldsFragment;

/** One page of the client list. */
export type ClientPage = ConsoleClientsQuery['authorizationCodeClients'];

/** One audit entry: who changed what, when and why. */
export type AuditEntry = AuditEntryFieldsFragment;

/** One page of history. */
export type AuditPage = AuditPageFieldsFragment;

/** What every mutation answers. */
export type ClientPayload = ClientPayloadFieldsFragment;

/** The tenant's signed audit log head, as a reviewer keeps it. */
export type AuditLogHead = AuditLogHeadFieldsFragment;

/** Whether a redirect URL matches the client's allowed ones, and when not, the nearest and how it differs. */
export type RedirectUrlMatch = ConsoleMatchRedirectUrlQuery['matchRedirectUrl'];
