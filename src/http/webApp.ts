import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import compression from 'compression';
import etag from 'etag';
import fresh from 'fresh';
import { SECURITY_HEADERS } from './securityHeaders';
import { REVALIDATE_CACHE, sendStaticFile, sendText } from './staticFiles';

/** Headers of every page: no framing, no sniffing, no referrer, its own browsing context group. */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const ASSET_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Finds the project root (the folder of package.json) from src/http under ts-jest or dist/src/http at run time. */
function projectRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
}

/** The web assets folder `scripts/build-web.mjs` writes: `<project root>/dist/public`. */
export function defaultWebAssetsDir(): string {
  return join(projectRoot(), 'dist', 'public');
}

/** The request's URL, or undefined when it cannot be read as one. */
export function requestUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

/** Escapes text for a double-quoted HTML attribute. */
export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Options of {@link createWebAppHandler}. */
export interface WebAppOptions {
  /** The app's build output: its `index.html` and hashed assets. */
  buildDir: string;
  /** The URL path its assets are served under, e.g. `/graphiql`. */
  assetsPath: string;
  /** URL paths that answer the page itself. */
  pagePaths: readonly string[];
  /** Other requests that answer the page (GraphiQL at GET /graphql for browsers). */
  alsoPage?: (req: IncomingMessage) => boolean;
  /** The page's Content-Security-Policy. */
  contentSecurityPolicy: string;
  /** Extra elements for the page's `<head>` (already escaped HTML), e.g. a `<meta>` with configuration. */
  headElements?: string;
  /** The plain-text answer while the app was never built. */
  notBuilt: string;
  /** Told of a failure while serving (the client got a 500); e.g. to log it. */
  onError?: (error: unknown) => void;
}

/** compression's middleware on Node's own request and response (its README's "Node.js HTTP server" use). */
type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** Answers the app's page: its template with the head elements added, under its CSP, revalidated by ETag. */
async function servePage(req: IncomingMessage, res: ServerResponse, options: WebAppOptions, indexFile: string): Promise<void> {
  const template = await readFile(indexFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (template === undefined) return sendText(req, res, 503, options.notBuilt);
  const html = template.replace(/<head>/i, (tag) => (options.headElements ? `${tag}\n    ${options.headElements}` : tag));
  const body = Buffer.from(html, 'utf8');
  const headers = {
    ...PAGE_HEADERS,
    'Content-Security-Policy': options.contentSecurityPolicy,
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': REVALIDATE_CACHE,
    ETag: etag(body),
    Vary: 'Accept',
  };
  if (fresh(req.headers, { etag: headers.ETag })) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Serves a browser app built by scripts/build-web.mjs: its page (with a strict CSP, revalidated by
 * ETag) and its assets (immutable when hashed, compressed with br or gzip when the client accepts it).
 * Returns true when it took the request (GET/HEAD on its paths), false so the caller's router goes
 * on; answers 503 with `notBuilt` while there is no build.
 */
export function createWebAppHandler(options: WebAppOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const assetsPath = options.assetsPath.replace(/\/+$/, '');
  const indexFile = join(options.buildDir, 'index.html');
  // Compressed on the fly, no longer precompressed at build time (measured): the console's 262 kB go
  // out as 81 kB gzip / 82 kB brotli (precompressed: 81 / 75 kB) for 8 ms of CPU, GraphiQL's 6815 kB
  // as 2089 / 2073 kB (2083 / 1896 kB) for about 100 ms, once per browser since hashed assets are
  // cached for good; the build saves the 1.1 s that gzip 9 and brotli 9 took and their two files per asset.
  const compress = compression() as unknown as NodeMiddleware;

  async function serveAsset(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!existsSync(indexFile)) return sendText(req, res, 503, options.notBuilt);
    await sendStaticFile(req, res, options.buildDir, path, { headers: ASSET_HEADERS });
  }

  function run(req: IncomingMessage, res: ServerResponse, work: () => Promise<void>): true {
    work().catch((error: unknown) => {
      options.onError?.(error);
      if (res.headersSent) res.destroy();
      else sendText(req, res, 500, 'Internal server error');
    });
    return true;
  }

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = requestUrl(req);
    if (!url) return false;
    const path = url.pathname;
    if (options.pagePaths.includes(path)) return run(req, res, () => servePage(req, res, options, indexFile));
    if (path.startsWith(`${assetsPath}/`)) {
      // Only assets are compressed: the page (a few kB, answered with a strong ETag) goes as it is.
      compress(req, res, () => run(req, res, () => serveAsset(req, res, path.slice(assetsPath.length + 1))));
      return true;
    }
    if (options.alsoPage?.(req)) return run(req, res, () => servePage(req, res, options, indexFile));
    return false;
  };
}
