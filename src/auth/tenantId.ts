/** Longest tenant id accepted, in characters. */
export const MAX_TENANT_ID_LENGTH = 128;

// Control, format (zero-width, bidi), private-use and unassigned characters: nothing a tenant id may carry.
const INVISIBLE = /\p{C}/u;

/**
 * Why `value` is not a tenant id, or null when it is one: a string of 1 to
 * {@link MAX_TENANT_ID_LENGTH} characters, without spaces around it and without control or
 * invisible format characters. Tenant ids are case-sensitive and kept exactly as given: `Acme`
 * and `acme` are two tenants, so nothing is folded that the identity provider did not fold.
 */
export const tenantIdProblem = (value: unknown): string | null => {
  if (typeof value !== 'string' || value === '') return 'is missing or not a string';
  if (value.trim() !== value) return 'has spaces around it';
  if ([...value].length > MAX_TENANT_ID_LENGTH) return `is longer than ${MAX_TENANT_ID_LENGTH} characters`;
  if (INVISIBLE.test(value)) return 'contains a control or invisible character';
  return null;
};
