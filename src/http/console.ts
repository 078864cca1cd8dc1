import { type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createWebAppHandler, escapeAttribute } from './webApp';

/**
 * How the console gets its bearer token, handed to the page in `<meta name="console-config">`:
 * a pasted token (`development` says `npm run token` makes one), or the platform's sign-in.
 */
export type ConsoleSignIn =
  | { signIn: 'token'; development: boolean }
  | { signIn: 'platform'; tokenUrl: string; signInUrl: string | null };

/** The console page's Content-Security-Policy: only its own files, its own API, and the platform's token endpoint. */
export function consoleContentSecurityPolicy(signIn: ConsoleSignIn): string {
  const connect = signIn.signIn === 'platform' ? `'self' ${new URL(signIn.tokenUrl).origin}` : "'self'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "manifest-src 'self'",
    "base-uri 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const NOT_BUILT =
  'The admin console is not built yet: run `npm run build` (or `node scripts/build-web.mjs`) in the project folder, then reload.';

/** Options of {@link createConsoleHandler}. */
export interface ConsoleHandlerOptions {
  /** The web assets folder (`dist/public`); the console's build is its `console/`. */
  assetsDir: string;
  signIn: ConsoleSignIn;
  /** Told of a failure while serving (the client got a 500); e.g. to log it. */
  onError?: (error: unknown) => void;
}

/** Serves the admin console: its page at `/` (and `/index.html`), its assets under `/console/`. */
export function createConsoleHandler(options: ConsoleHandlerOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  return createWebAppHandler({
    buildDir: join(options.assetsDir, 'console'),
    assetsPath: '/console',
    pagePaths: ['/', '/index.html'],
    contentSecurityPolicy: consoleContentSecurityPolicy(options.signIn),
    headElements: `<meta name="console-config" content="${escapeAttribute(JSON.stringify(options.signIn))}">`,
    notBuilt: NOT_BUILT,
    onError: options.onError,
  });
}
