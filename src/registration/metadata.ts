import { type ApplicationType, type Client, type ClientSettingsInput, LIMITS } from '../domain/client';
import { isJsonObject } from '../jsutils';
import { invalidMetadata } from './registrationError';

/** What a registration request asks for, read from its JSON: the client's settings, its application type, and the fields ignored. */
export interface RequestedMetadata {
  settings: ClientSettingsInput;
  applicationType: ApplicationType | null;
  /** Fields this service does not know (RFC 7591 §2: ignored), answered in the Ignored-Metadata header. */
  ignored: string[];
}

const STRING_LISTS = ['redirect_uris', 'post_logout_redirect_uris', 'allowed_cors_origins', 'grant_types', 'response_types'] as const;
const STRINGS = ['client_name', 'client_uri', 'logo_uri', 'token_endpoint_auth_method', 'application_type'] as const;
/** Fields answered but not settings; a client sends them back on PUT (RFC 7592 §2.2). */
const ECHOED = ['client_id', 'client_id_issued_at', 'registration_access_token', 'registration_client_uri', 'client_secret', 'client_secret_expires_at'];
const KNOWN = new Set<string>([...STRING_LISTS, ...STRINGS, 'access_token_lifetime', ...ECHOED]);
/** Longer lists are refused before any value is read: 10,000 redirect URIs cost nothing. */
const MAX_LIST_ENTRIES = 100;

const stringList = (body: Record<string, unknown>, field: string): string[] | undefined => {
  const value = body[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw invalidMetadata(`${field} must be an array of strings`);
  if (value.length > MAX_LIST_ENTRIES) {
    throw invalidMetadata(`${field}: at most ${LIMITS.redirectUrls} entries are allowed here (${value.length} were given) (rule tooMany)`);
  }
  return value;
};

const optionalString = (body: Record<string, unknown>, field: string): string | undefined => {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidMetadata(`${field} must be a string`);
  return value;
};

/** The checks that refuse what no public authorization code client can be (no secret is ever issued). */
const checkProtocol = (body: Record<string, unknown>): void => {
  const method = optionalString(body, 'token_endpoint_auth_method');
  if (method !== undefined && method !== 'none') {
    throw invalidMetadata(`token_endpoint_auth_method "${method}": only "none" is supported: clients are public and no secret is ever issued`);
  }
  const grants = stringList(body, 'grant_types');
  if (grants !== undefined && !grants.includes('authorization_code')) {
    throw invalidMetadata('grant_types must include "authorization_code": only authorization code clients are registered');
  }
  if (grants?.includes('client_credentials')) throw invalidMetadata('grant_types "client_credentials" needs a client secret, which is never issued');
  const responses = stringList(body, 'response_types');
  if (responses !== undefined && !responses.includes('code')) throw invalidMetadata('response_types must include "code"');
};

/** A name for a client that gave none: the host of its first redirect URI (or its scheme, for a private-use one). */
const defaultName = (redirectUris: readonly string[]): string => {
  try {
    const url = new URL(redirectUris[0].trim());
    return url.host || url.protocol.replace(/:$/, '');
  } catch {
    return 'Registered client';
  }
};

/** Reads a registration request's JSON (RFC 7591 §2), refusing wrong JSON types with invalid_client_metadata. */
export const readRequestedMetadata = (body: unknown): RequestedMetadata => {
  if (!isJsonObject(body)) throw invalidMetadata('The request body must be a JSON object of client metadata');
  checkProtocol(body);
  const redirectUris = stringList(body, 'redirect_uris');
  if (redirectUris === undefined || redirectUris.length === 0) {
    throw invalidMetadata('redirect_uris is required: at least one redirect URI (rule lastRedirectUrl)');
  }
  const applicationType = optionalString(body, 'application_type');
  if (applicationType !== undefined && applicationType !== 'web' && applicationType !== 'native') {
    throw invalidMetadata(`application_type "${applicationType}" must be "web" or "native"`);
  }
  const lifetime = body.access_token_lifetime;
  if (lifetime !== undefined && typeof lifetime !== 'number') throw invalidMetadata('access_token_lifetime must be a number of seconds');
  const settings: ClientSettingsInput = {
    name: optionalString(body, 'client_name') ?? defaultName(redirectUris),
    allowedRedirectUrls: redirectUris,
    allowedLogoutRedirectUrls: stringList(body, 'post_logout_redirect_uris') ?? [],
    allowedCorsOrigins: stringList(body, 'allowed_cors_origins') ?? [],
    tokenLifetime: lifetime ?? LIMITS.defaultTokenLifetime,
    clientUri: optionalString(body, 'client_uri') ?? null,
    logoUri: optionalString(body, 'logo_uri') ?? null,
  };
  return { settings, applicationType: applicationType ?? null, ignored: Object.keys(body).filter((field) => !KNOWN.has(field)) };
};

/** The client as registered, in RFC 7591 metadata (every registered value, as stored). */
export const clientMetadata = (client: Client, applicationType: ApplicationType | null, createdAt: Date) => ({
  client_id: client.id,
  client_id_issued_at: Math.floor(createdAt.getTime() / 1000),
  client_name: client.name,
  redirect_uris: client.allowedRedirectUrls,
  post_logout_redirect_uris: client.allowedLogoutRedirectUrls,
  allowed_cors_origins: client.allowedCorsOrigins,
  ...(client.clientUri === null ? {} : { client_uri: client.clientUri }),
  ...(client.logoUri === null ? {} : { logo_uri: client.logoUri }),
  access_token_lifetime: client.tokenLifetime,
  ...(applicationType === null ? {} : { application_type: applicationType }),
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code'],
  response_types: ['code'],
});
