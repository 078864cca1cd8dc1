import { type ApplicationType } from './client';

/**
 * A command as an administrator gives it: for which tenant, its data, and optionally why (the
 * reason kept in the audit trail). Raw input: `decide` reads and checks every value.
 */
type Command<Type extends string, Data> = { type: Type; tenantId: string; data: Data; reason?: string | null };

/** The settings a client is created with; optional ones take their defaults. */
export interface ClientSettingsInput {
  name: string;
  allowedRedirectUrls: string[];
  allowedLogoutRedirectUrls?: string[];
  allowedCorsOrigins?: string[];
  tokenLifetime?: number;
  enabled?: boolean;
  clientUri?: string | null;
  logoUri?: string | null;
  tags?: string[];
}

/** Register a new client under an id nobody has used. */
export type AddClient = Command<'AddClient', { id: string } & ClientSettingsInput>;
/** Change any subset of the settings; unset fields stay, lists are replaced as sets. */
export type UpdateClient = Command<'UpdateClient', { clientId: string } & Partial<ClientSettingsInput>>;
/** Give the client a new name. */
export type RenameClient = Command<'RenameClient', { clientId: string; name: string }>;
/** Set how long access tokens issued to the client live. */
export type SetTokenLifetime = Command<'SetTokenLifetime', { clientId: string; seconds: number }>;
/** Allow one more redirect URL. */
export type AddRedirectUrl = Command<'AddRedirectUrl', { clientId: string; url: string }>;
/** Stop allowing a redirect URL. */
export type RemoveRedirectUrl = Command<'RemoveRedirectUrl', { clientId: string; url: string }>;
/** Allow one more logout redirect URL. */
export type AddLogoutRedirectUrl = Command<'AddLogoutRedirectUrl', { clientId: string; url: string }>;
/** Stop allowing a logout redirect URL. */
export type RemoveLogoutRedirectUrl = Command<'RemoveLogoutRedirectUrl', { clientId: string; url: string }>;
/** Allow one more CORS origin. */
export type AddCorsOrigin = Command<'AddCorsOrigin', { clientId: string; origin: string }>;
/** Stop allowing a CORS origin. */
export type RemoveCorsOrigin = Command<'RemoveCorsOrigin', { clientId: string; origin: string }>;
/** Let the client sign users in. */
export type EnableClient = Command<'EnableClient', { clientId: string }>;
/** Stop the client from signing users in. */
export type DisableClient = Command<'DisableClient', { clientId: string }>;
/**
 * Give every setting back the value it had at an earlier version (after the client's first
 * `toVersion` events), recorded as the ordinary events of each change.
 */
export type RevertClient = Command<'RevertClient', { clientId: string; toVersion: number }>;
/** Remove the client for good. */
export type DeleteClient = Command<'DeleteClient', { clientId: string }>;
/**
 * Register a new client through the standard protocol (RFC 7591): AddClient's rules, plus those of
 * its application type, and the hash of the registration access token issued with it.
 */
export type RegisterClient = Command<
  'RegisterClient',
  { id: string; applicationType: ApplicationType | null; tokenHash: string } & ClientSettingsInput
>;
/**
 * Replace a registered client's settings (RFC 7592 §2.2) when `presentedTokenHash` is the hash of
 * its current registration access token, rotating the token to `tokenHash`. Settings not given stay.
 */
export type ReplaceRegisteredClient = Command<
  'ReplaceRegisteredClient',
  { clientId: string; presentedTokenHash: string; tokenHash: string; applicationType: ApplicationType | null } & Partial<ClientSettingsInput>
>;
/** Remove a registered client for good (RFC 7592 §2.3) when `presentedTokenHash` is its current token's hash. */
export type DeleteRegisteredClient = Command<'DeleteRegisteredClient', { clientId: string; presentedTokenHash: string }>;

/** Every command an administrator can give about an authorization code client. */
export type ClientCommand =
  | AddClient
  | UpdateClient
  | RenameClient
  | SetTokenLifetime
  | AddRedirectUrl
  | RemoveRedirectUrl
  | AddLogoutRedirectUrl
  | RemoveLogoutRedirectUrl
  | AddCorsOrigin
  | RemoveCorsOrigin
  | EnableClient
  | DisableClient
  | RevertClient
  | DeleteClient
  | RegisterClient
  | ReplaceRegisteredClient
  | DeleteRegisteredClient;

/** Every command about a client that exists already. */
export type ClientChangeCommand = Exclude<ClientCommand, AddClient | RegisterClient>;
