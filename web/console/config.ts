/** How the console gets its bearer token, as the server says in `<meta name="console-config">`. */
export type ConsoleConfig =
  | { signIn: 'token'; development: boolean }
  | { signIn: 'platform'; tokenUrl: string; signInUrl: string | null };

const FALLBACK: ConsoleConfig = { signIn: 'token', development: false };

/** Reads the sign-in configuration the server put into the page; a page without one asks for a token. */
export function readConsoleConfig(document: Document): ConsoleConfig {
  const content = document.querySelector('meta[name="console-config"]')?.getAttribute('content');
  if (!content) return FALLBACK;
  try {
    const parsed = JSON.parse(content) as Partial<{ signIn: string; development: boolean; tokenUrl: string; signInUrl: string | null }>;
    if (parsed.signIn === 'platform' && typeof parsed.tokenUrl === 'string') {
      return { signIn: 'platform', tokenUrl: parsed.tokenUrl, signInUrl: parsed.signInUrl ?? null };
    }
    return { signIn: 'token', development: parsed.development === true };
  } catch {
    return FALLBACK;
  }
}
