import { type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createWebAppHandler, escapeAttribute, requestUrl } from './webApp';

/**
 * The page's Content-Security-Policy: everything from our own origin, nothing inline that runs.
 * Relaxations, each needed by GraphiQL 5 itself:
 * - style-src 'unsafe-inline': Monaco adds `<style>` elements at run time (theme colours, editor
 *   decorations) and Radix/GraphiQL set `style` attributes; styles cannot run code.
 * - font-src data: and img-src data:: GraphiQL's stylesheet embeds its fonts (Roboto, Fira Code,
 *   Monaco's codicons) and a few icons as data: URLs; they come with the stylesheet, not a network.
 * Scripts and workers stay 'self' only: Monaco's workers are files we serve (no blob: workers),
 * and no 'unsafe-eval' is needed. connect-src 'self' also admits the page's subscriptions: CSP
 * Level 3 lets 'self' match ws: and wss: on the page's own host and port (the browser test runs one).
 */
export const GRAPHIQL_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "manifest-src 'self'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT =
  'GraphiQL is not built yet: run `npm run build` (or `node scripts/build-web.mjs`) in the project folder, then reload.';

/** Options of {@link createGraphiqlHandler}. */
export interface GraphiqlHandlerOptions {
  /** The web assets folder (`dist/public`, see {@link defaultWebAssetsDir}); GraphiQL's build is its `graphiql/`. */
  assetsDir: string;
  /** Told of a failure while serving (the client got a 500); e.g. to log it. */
  onError?: (error: unknown) => void;
  /** The URL path GraphiQL is served under; default `/graphiql`. */
  basePath?: string;
}

function acceptsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').split(',').some((part) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return type.trim() === 'text/html' && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/**
 * True when a request to the GraphQL endpoint is a browser asking for a page: GET or HEAD of
 * `endpointPath` that accepts text/html and carries no `query` parameter (a GET query stays GraphQL).
 */
export function wantsGraphiql(req: IncomingMessage, endpointPath = '/graphql'): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = requestUrl(req);
  return url?.pathname === endpointPath && !url.searchParams.has('query') && acceptsHtml(req);
}

/**
 * Serves GraphiQL: the page at `basePath`, `basePath/` (and at GET `/graphql` for browsers, see
 * {@link wantsGraphiql}) with a strict CSP, and its built assets under `basePath/`. Returns true when
 * it took the request (GET/HEAD on those paths), false so the caller's router goes on. Answers 503
 * with a plain message while the assets were never built.
 */
export function createGraphiqlHandler(
  options: GraphiqlHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const basePath = (options.basePath ?? '/graphiql').replace(/\/+$/, '');
  return createWebAppHandler({
    buildDir: join(options.assetsDir, 'graphiql'),
    assetsPath: basePath,
    pagePaths: [basePath, `${basePath}/`, `${basePath}/index.html`],
    alsoPage: (req) => wantsGraphiql(req),
    // The page names its assets relative (`./graphiql-….js`), whichever of its paths it is served at.
    headElements: `<base href="${escapeAttribute(`${basePath}/`)}">`,
    contentSecurityPolicy: GRAPHIQL_CONTENT_SECURITY_POLICY,
    notBuilt: NOT_BUILT,
    onError: options.onError,
  });
}
