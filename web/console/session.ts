import { useCallback, useMemo, useRef, useState } from 'react';
import { ApiError, type Api, type TokenSource, createApi } from './api';
import { type ConsoleConfig } from './config';
import { ConsoleMeDocument } from './generated/graphql';
import { type Me } from './queries';

/** Where the pasted token is kept: this tab only, gone when it closes; never in a URL. */
const TOKEN_KEY = 'authorization-code-clients:console-token';
/** A platform token is fetched again this long before it expires. */
const REFRESH_MARGIN_MS = 30_000;

/** Where the session stands. */
export type SessionState =
  | { status: 'starting' }
  | { status: 'signedOut'; message: string | null }
  | { status: 'signedIn'; me: Me };

/** The signed-in session: its state, the API client bound to its token, and how to sign in and out. */
export interface Session {
  state: SessionState;
  api: Api;
  /** Token sign-in: checks the pasted token with the API; resolves to an error message, or null once signed in. */
  signInWithToken: (token: string) => Promise<string | null>;
  /** Checks the session's token (the stored one, or the platform's) and signs in with it. */
  start: () => Promise<void>;
  signOut: () => void;
}

interface PlatformToken {
  value: string;
  expiresAt: number;
}

/** Asks the platform for the signed-in administrator's access token, with the platform's cookie. */
async function fetchPlatformToken(tokenUrl: string): Promise<PlatformToken> {
  let response: Response;
  try {
    response = await fetch(tokenUrl, { credentials: 'include', headers: { Accept: 'application/json' }, cache: 'no-store' });
  } catch {
    throw new ApiError('The platform’s sign-in could not be reached. Check your connection and try again.', 'NETWORK');
  }
  if (response.status === 401 || response.status === 403) {
    throw new ApiError('You are not signed in to the platform.', 'UNAUTHENTICATED');
  }
  const body = (await response.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown } | null;
  if (!response.ok || typeof body?.access_token !== 'string') {
    throw new ApiError(`The platform’s sign-in answered ${response.status} without an access token.`, 'UNAUTHENTICATED');
  }
  const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 300;
  return { value: body.access_token, expiresAt: Date.now() + seconds * 1000 };
}

const storedToken = (): string | null => {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
};

/** The console's session for the configured sign-in. */
export function useSession(config: ConsoleConfig): Session {
  const tokenRef = useRef<string | null>(config.signIn === 'token' ? storedToken() : null);
  const platformRef = useRef<PlatformToken | null>(null);
  const [state, setState] = useState<SessionState>(() =>
    config.signIn === 'token' && tokenRef.current === null ? { status: 'signedOut', message: null } : { status: 'starting' },
  );

  const forget = useCallback((message: string | null) => {
    tokenRef.current = null;
    platformRef.current = null;
    try {
      window.sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      // storage unavailable: nothing was kept there
    }
    setState({ status: 'signedOut', message });
  }, []);

  const api = useMemo(() => {
    const tokens: TokenSource = {
      canRefresh: config.signIn === 'platform',
      async token({ refresh = false } = {}) {
        if (config.signIn === 'token') {
          if (tokenRef.current === null) throw new ApiError('You are signed out.', 'UNAUTHENTICATED');
          return tokenRef.current;
        }
        const cached = platformRef.current;
        if (!refresh && cached && cached.expiresAt - REFRESH_MARGIN_MS > Date.now()) return cached.value;
        try {
          platformRef.current = await fetchPlatformToken(config.tokenUrl);
        } catch (error) {
          if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') forget(error.message);
          throw error;
        }
        return platformRef.current.value;
      },
      expired: (message) => forget(`${message}. Sign in again.`),
    };
    return createApi(tokens);
  }, [config, forget]);

  const check = useCallback(async (): Promise<string | null> => {
    try {
      const { me } = await api.request(ConsoleMeDocument, {});
      setState({ status: 'signedIn', me });
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }, [api]);

  const signInWithToken = useCallback(
    async (token: string) => {
      const trimmed = token.trim().replace(/^Bearer\s+/i, '');
      if (trimmed === '') return 'Paste an access token first.';
      tokenRef.current = trimmed;
      const problem = await check();
      if (problem === null) {
        try {
          window.sessionStorage.setItem(TOKEN_KEY, trimmed);
        } catch {
          // storage unavailable: the session lasts as long as the page
        }
        return null;
      }
      tokenRef.current = null;
      setState({ status: 'signedOut', message: null });
      return problem;
    },
    [check],
  );

  const start = useCallback(async () => {
    const problem = await check();
    if (problem !== null) setState((current) => (current.status === 'signedOut' ? current : { status: 'signedOut', message: problem }));
  }, [check]);

  return { state, api, signInWithToken, start, signOut: () => forget(null) };
}
