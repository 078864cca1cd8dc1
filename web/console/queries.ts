/** The GraphQL documents the console sends, and the shapes it reads back. All public API. */

/** The signed-in caller. */
export interface Me {
  id: string;
  name: string | null;
  tenantId: string;
  roles: string[];
  canManageClients: boolean;
}

export const ME = /* GraphQL */ `
  query ConsoleMe {
    me { id name tenantId roles canManageClients }
  }
`;

/** A client as the console shows it. */
export interface Client {
  id: string;
  name: string;
  enabled: boolean;
  tokenLifetime: number;
  allowedRedirectUrls: string[];
  allowedLogoutRedirectUrls: string[];
  allowedCorsOrigins: string[];
  clientUri: string | null;
  logoUri: string | null;
  tags: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: { id: string; name: string | null };
}

const CLIENT_FIELDS = `
  id name enabled tokenLifetime allowedRedirectUrls allowedLogoutRedirectUrls allowedCorsOrigins
  clientUri logoUri tags version createdAt updatedAt createdBy { id name }
`;

/** Relay page information. */
export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** One page of the client list. */
export interface ClientPage {
  authorizationCodeClients: { nodes: Client[]; totalCount: number; pageInfo: PageInfo };
}

export const CLIENTS = /* GraphQL */ `
  query ConsoleClients($filter: ClientFilter, $orderBy: ClientOrder, $first: Int, $after: String, $last: Int, $before: String) {
    authorizationCodeClients(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { ${CLIENT_FIELDS} }
    }
  }
`;

export const CLIENT = /* GraphQL */ `
  query ConsoleClient($id: ID!) {
    authorizationCodeClient(id: $id) { ${CLIENT_FIELDS} }
  }
`;

/** One audit entry: who changed what, when and why. */
export interface AuditEntry {
  id: string;
  occurredAt: string;
  action: string;
  clientId: string;
  clientName: string;
  actor: { id: string; name: string | null };
  reason: string | null;
  operationId: string;
  changes: { field: string; before: unknown; after: unknown }[];
}

/** One page of history. */
export interface AuditPage {
  nodes: AuditEntry[];
  totalCount: number;
  pageInfo: PageInfo;
}

const AUDIT_FIELDS = `
  totalCount
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  nodes { id occurredAt action clientId clientName actor { id name } reason operationId changes { field before after } }
`;

export const CLIENT_HISTORY = /* GraphQL */ `
  query ConsoleClientHistory($id: ID!, $first: Int, $after: String) {
    auditTrail(filter: { clientId: $id }, first: $first, after: $after) { ${AUDIT_FIELDS} }
  }
`;

export const AUDIT_TRAIL = /* GraphQL */ `
  query ConsoleAuditTrail($first: Int, $after: String) {
    auditTrail(first: $first, after: $after) { ${AUDIT_FIELDS} }
  }
`;

/** What every mutation answers. */
export interface ClientPayload {
  client: Client | null;
  changed: boolean;
  operationId: string;
  position: string;
}

const PAYLOAD_FIELDS = `client { ${CLIENT_FIELDS} } changed operationId position`;

/** The mutation document for `field(input: Input!)`, answering the whole payload. */
export const mutation = (field: string, inputType: string): string => /* GraphQL */ `
  mutation Console_${field}($input: ${inputType}!) {
    ${field}(input: $input) { ${PAYLOAD_FIELDS} }
  }
`;

/** The settings of the Add Client form, as `AddAuthorizationCodeClientInput` takes them. */
export interface NewClient {
  name: string;
  allowedRedirectUrls: string[];
  allowedLogoutRedirectUrls: string[];
  allowedCorsOrigins: string[];
  tokenLifetime: number | null;
}

export const ADD_CLIENT = mutation('addAuthorizationCodeClient', 'AddAuthorizationCodeClientInput');

export const VALIDATE_CLIENT = /* GraphQL */ `
  query ConsoleValidateClient($input: AddAuthorizationCodeClientInput!) {
    validateAuthorizationCodeClient(input: $input) { field rule message index }
  }
`;
