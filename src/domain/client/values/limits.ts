/** The bounds of DESIGN.md §3: list sizes, text lengths (in characters) and token lifetime (in seconds). */
export const LIMITS = {
  redirectUrls: 10,
  logoutRedirectUrls: 10,
  corsOrigins: 10,
  tags: 20,
  nameLength: 200,
  urlLength: 2048,
  tagLength: 50,
  minTokenLifetime: 60,
  maxTokenLifetime: 3600,
  defaultTokenLifetime: 3600,
  reasonLength: 1000,
} as const;
