import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** Cache-Control for files whose names carry a content hash: they never change. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

/** Cache-Control for everything else: cache, but revalidate with the ETag each time. */
export const REVALIDATE_CACHE = 'no-cache';

/** The Content-Type to send for a file name; unknown extensions are opaque bytes. */
export function contentTypeFor(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/** True for build output named `<name>-<HASH>.<ext>` (esbuild's and our build's 8-character hashes). */
export function isHashedAssetName(fileName: string): boolean {
  return /-[A-Z0-9]{8}\.[a-z0-9]+$/.test(fileName);
}

/**
 * Maps a URL path (still percent-encoded, relative to `root`) to a file path inside `root`, or
 * undefined when it is malformed or would leave `root`: `..` segments, encoded separators,
 * backslashes, NUL bytes and dot-files are refused.
 */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.length === 0 || segments.some((segment) => segment.startsWith('.'))) return undefined;
  if (urlPath.split('/').filter((segment) => segment !== '').length !== segments.length) return undefined;
  const base = resolve(root);
  const file = resolve(base, ...segments);
  return file.startsWith(base + sep) ? file : undefined;
}

function acceptedEncodings(req: IncomingMessage): Set<string> {
  const accepted = new Set<string>();
  for (const part of (req.headers['accept-encoding'] ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    if (name !== '' && (q === undefined || Number(q.slice(2)) > 0)) accepted.add(name);
  }
  return accepted;
}

async function fileStats(path: string): Promise<Stats | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info : undefined;
  } catch {
    return undefined;
  }
}

async function precompressed(req: IncomingMessage, file: string) {
  const accepted = acceptedEncodings(req);
  for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']] as const) {
    if (!accepted.has(encoding)) continue;
    const info = await fileStats(file + suffix);
    if (info) return { path: file + suffix, info, encoding };
  }
  return undefined;
}

function etagOf(info: Stats, encoding: string | undefined): string {
  return `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ''}"`;
}

function isFresh(req: IncomingMessage, etag: string): boolean {
  const candidates = req.headers['if-none-match'];
  if (!candidates) return false;
  return candidates.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag.replace(/^W\//, '');
  });
}

/** Answers a plain-text response (errors: 404, 503, ...); nothing is cached. */
export function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  const body = Buffer.from(`${text}\n`, 'utf8');
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Options of {@link sendStaticFile}. */
export interface StaticFileOptions {
  /** Headers added to every successful answer (security headers, CORP, ...). */
  headers?: Readonly<Record<string, string>>;
}

/**
 * Answers a GET or HEAD for `urlPath` (percent-encoded, relative to `root`) from the files under
 * `root`: content type, ETag with 304 revalidation, a year-long immutable cache for hashed names,
 * a precompressed `.br`/`.gz` sibling when the client accepts it, and 404 for anything missing or
 * outside `root` (symbolic links included).
 */
export async function sendStaticFile(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  urlPath: string,
  options: StaticFileOptions = {},
): Promise<void> {
  const file = resolveInside(root, urlPath);
  const info = file === undefined ? undefined : await fileStats(file);
  const real = file === undefined || !info ? undefined : await realpath(file).catch(() => undefined);
  const realRoot = await realpath(root).catch(() => undefined);
  if (!file || !info || !real || !realRoot || !real.startsWith(realRoot + sep)) {
    sendText(req, res, 404, 'Not found');
    return;
  }
  const encoded = await precompressed(req, file);
  const body = encoded ?? { path: file, info, encoding: undefined };
  const etag = etagOf(body.info, body.encoding);
  const headers: Record<string, string | number> = {
    ...options.headers,
    'Content-Type': contentTypeFor(file),
    'Cache-Control': isHashedAssetName(file) ? IMMUTABLE_CACHE : REVALIDATE_CACHE,
    'X-Content-Type-Options': 'nosniff',
    ETag: etag,
    Vary: 'Accept-Encoding',
    'Last-Modified': info.mtime.toUTCString(),
  };
  if (isFresh(req, etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  if (body.encoding) headers['Content-Encoding'] = body.encoding;
  headers['Content-Length'] = body.info.size;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(body.path), res).catch(() => res.destroy());
}
