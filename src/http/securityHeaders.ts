/** Headers on every answer of this server, API and pages alike: no content sniffing, no referrer sent on. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
