/**
 * The actions an audit entry can have, as the API writes them (the audit trail projection's
 * `AUDIT_ACTIONS`, one per event type), in the order of a client's life. The schema types
 * `action` as a string, so the console keeps the list; a browser test checks it is the same.
 */
export const AUDIT_ACTIONS = [
  'client.created',
  'client.renamed',
  'client.token_lifetime.changed',
  'client.redirect_url.added',
  'client.redirect_url.removed',
  'client.logout_redirect_url.added',
  'client.logout_redirect_url.removed',
  'client.cors_origin.added',
  'client.cors_origin.removed',
  'client.enabled',
  'client.disabled',
  'client.client_uri.changed',
  'client.logo_uri.changed',
  'client.tag.added',
  'client.tag.removed',
  'client.deleted',
  'client.registration_token.issued',
] as const;
