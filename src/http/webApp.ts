import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { REVALIDATE_CACHE, sendStaticFile, sendText } from './staticFiles';

/** Headers of every page: no framing, no sniffing, no referrer, its own browsing context group. */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const ASSET_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
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

interface Page {
  readonly key: string;
  readonly body: Buffer;
  readonly etag: string;
}

/**
 * Serves a browser app built by scripts/build-web.mjs: its page (with a strict CSP, revalidated by
 * ETag) and its assets (immutable when hashed, precompressed when the client accepts it). Returns
 * true when it took the request (GET/HEAD on its paths), false so the caller's router goes on;
 * answers 503 with `notBuilt` while there is no build.
 */
export function createWebAppHandler(options: WebAppOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const assetsPath = options.assetsPath.replace(/\/+$/, '');
  const indexFile = join(options.buildDir, 'index.html');
  let cached: Page | undefined;

  async function loadPage(): Promise<Page | undefined> {
    const info = await stat(indexFile).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const key = `${info.size}:${info.mtimeMs}`;
    if (cached?.key !== key) {
      const html = (await readFile(indexFile, 'utf8')).replace(/<head>/i, (tag) =>
        options.headElements ? `${tag}\n    ${options.headElements}` : tag,
      );
      const body = Buffer.from(html, 'utf8');
      cached = { key, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    }
    return cached;
  }

  async function servePage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const page = await loadPage();
    if (!page) return sendText(req, res, 503, options.notBuilt);
    const headers = {
      ...PAGE_HEADERS,
      'Content-Security-Policy': options.contentSecurityPolicy,
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': REVALIDATE_CACHE,
      ETag: page.etag,
      Vary: 'Accept',
    };
    if (req.headers['if-none-match']?.split(',').some((tag) => tag.trim() === page.etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': page.body.length });
    res.end(req.method === 'HEAD' ? undefined : page.body);
  }

  async function serveAsset(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!existsSync(indexFile)) return sendText(req, res, 503, options.notBuilt);
    await sendStaticFile(req, res, options.buildDir, path, { headers: ASSET_HEADERS });
  }

  function run(res: ServerResponse, work: Promise<void>): true {
    work.catch((error: unknown) => {
      options.onError?.(error);
      if (res.headersSent) res.destroy();
      else {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end('Internal server error\n');
      }
    });
    return true;
  }

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = requestUrl(req);
    if (!url) return false;
    const path = url.pathname;
    if (options.pagePaths.includes(path)) return run(res, servePage(req, res));
    if (path.startsWith(`${assetsPath}/`)) return run(res, serveAsset(req, res, path.slice(assetsPath.length + 1)));
    if (options.alsoPage?.(req)) return run(res, servePage(req, res));
    return false;
  };
}
