import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { REVALIDATE_CACHE, sendStaticFile, sendText } from './staticFiles';

/**
 * The page's Content-Security-Policy: everything from our own origin, nothing inline that runs.
 * Relaxations, each needed by GraphiQL 5 itself:
 * - style-src 'unsafe-inline': Monaco adds `<style>` elements at run time (theme colours, editor
 *   decorations) and Radix/GraphiQL set `style` attributes; styles cannot run code.
 * - font-src data: and img-src data:: GraphiQL's stylesheet embeds its fonts (Roboto, Fira Code,
 *   Monaco's codicons) and a few icons as data: URLs; they come with the stylesheet, not a network.
 * Scripts and workers stay 'self' only: Monaco's workers are files we serve (no blob: workers),
 * and no 'unsafe-eval' is needed.
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

const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': GRAPHIQL_CONTENT_SECURITY_POLICY,
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

function acceptsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').split(',').some((part) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return type.trim() === 'text/html' && (q === undefined || Number(q.slice(2)) > 0);
  });
}

function requestUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
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

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface Page {
  readonly key: string;
  readonly body: Buffer;
  readonly etag: string;
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
  const buildDir = join(options.assetsDir, 'graphiql');
  const indexFile = join(buildDir, 'index.html');
  const baseTag = `<base href="${escapeAttribute(`${basePath}/`)}">`;
  let cached: Page | undefined;

  async function loadPage(): Promise<Page | undefined> {
    const info = await stat(indexFile).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const key = `${info.size}:${info.mtimeMs}`;
    if (cached?.key !== key) {
      const html = (await readFile(indexFile, 'utf8')).replace(/<head>/i, (head) => `${head}\n    ${baseTag}`);
      const body = Buffer.from(html, 'utf8');
      cached = { key, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    }
    return cached;
  }

  async function servePage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const page = await loadPage();
    if (!page) return sendText(req, res, 503, NOT_BUILT);
    const headers = {
      ...PAGE_HEADERS,
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
    if (!existsSync(indexFile)) return sendText(req, res, 503, NOT_BUILT);
    await sendStaticFile(req, res, buildDir, path, { headers: ASSET_HEADERS });
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
    if (path === basePath || path === `${basePath}/` || path === `${basePath}/index.html`) {
      return run(res, servePage(req, res));
    }
    if (path.startsWith(`${basePath}/`)) return run(res, serveAsset(req, res, path.slice(basePath.length + 1)));
    if (wantsGraphiql(req)) return run(res, servePage(req, res));
    return false;
  };
}
