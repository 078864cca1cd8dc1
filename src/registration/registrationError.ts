import { type Violation } from '../errors';

/** An RFC 7591 §3.2.2 / RFC 6750 refusal: its HTTP status, error code, description and headers. */
export class RegistrationError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

/** The RFC metadata name of each client setting, for error descriptions. */
const RFC_FIELDS: Readonly<Record<string, string>> = {
  name: 'client_name',
  allowedRedirectUrls: 'redirect_uris',
  allowedLogoutRedirectUrls: 'post_logout_redirect_uris',
  allowedCorsOrigins: 'allowed_cors_origins',
  clientUri: 'client_uri',
  logoUri: 'logo_uri',
  tokenLifetime: 'access_token_lifetime',
  id: 'client_id',
  clientId: 'client_id',
};

/** 400 invalid_client_metadata naming the field, the value and the rule. */
export const invalidMetadata = (description: string) => new RegistrationError(400, 'invalid_client_metadata', description);

/** 401 invalid_token (RFC 6750 §3.1): no, a wrong, rotated or revoked token, or a client that is not there. */
export const invalidToken = (description: string) =>
  new RegistrationError(401, 'invalid_token', description, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });

/**
 * The domain's violations as one RFC 7591 error: `invalid_redirect_uri` when a redirect_uris value
 * is refused, else `invalid_client_metadata`; each violation as `field[index] "value": message (rule x)`.
 */
export const fromViolations = (violations: readonly Violation[], given: Readonly<Record<string, unknown>>): RegistrationError => {
  const parts = violations.map((violation) => {
    const field = RFC_FIELDS[violation.field] ?? violation.field;
    const value = violation.index === undefined ? given[field] : (given[field] as unknown[] | undefined)?.[violation.index];
    const shown = typeof value === 'string' || typeof value === 'number' ? ` ${JSON.stringify(value)}` : '';
    return `${field}${violation.index === undefined ? '' : `[${violation.index}]`}${shown}: ${violation.message} (rule ${violation.rule})`;
  });
  const redirect = violations.some((violation) => violation.field === 'allowedRedirectUrls' && violation.rule === 'redirectUrl');
  return new RegistrationError(400, redirect ? 'invalid_redirect_uri' : 'invalid_client_metadata', parts.join('; '));
};
