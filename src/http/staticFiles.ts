import { realpath } from 'node:fs/promises';
import { type IncomingMessage, STATUS_CODES, type ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import send from 'send';
import { SECURITY_HEADERS } from './securityHeaders';

/** Cache-Control for everything else: cache, but revalidate with the ETag each time. */
export const REVALIDATE_CACHE = 'no-cache';

/** True for build output named `<name>-<HASH>.<ext>` (esbuild's 8-character base32 content hashes). */
function isHashedAssetName(fileName: string): boolean {
  return /-[A-Z0-9]{8}\.[a-z0-9]+$/.test(fileName);
}

/** What `send` refuses a path with (malformed, `..`, a dot-file, missing): all answered as 404. */
const NOT_FOUND = new Set([400, 403, 404]);

/** The error `send` reports: its HTTP status, and headers such as Content-Range for a 416. */
interface SendError extends Error {
  status?: number;
  headers?: Record<string, string>;
}

/** Answers a plain-text response (errors: 404, 503, ...); nothing is cached. */
export function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  const body = Buffer.from(`${text}\n`, 'utf8');
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * True when `urlPath` names a file whose real path (symbolic links resolved) is inside `root`.
 * `send` refuses `..`, NUL bytes and dot-files itself, but follows symbolic links wherever they point.
 */
async function isInside(root: string, urlPath: string): Promise<boolean> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return false;
  }
  const [realRoot, real] = await Promise.all([realpath(root), realpath(join(root, decoded))].map((p) => p.catch(() => '')));
  return realRoot !== '' && real.startsWith(realRoot + sep);
}

/** Options of {@link sendStaticFile}. */
export interface StaticFileOptions {
  /** Headers added to every successful answer (the security headers, CORP, ...). */
  headers?: Readonly<Record<string, string>>;
}

/**
 * Answers a GET or HEAD for `urlPath` (percent-encoded, relative to `root`) from the files under
 * `root` with `send`: content type, ETag and Last-Modified with 304 revalidation (no ranges), a year-long
 * immutable cache for hashed names, and 404 for anything missing, a dot-file or outside `root`
 * (symbolic links included).
 */
export async function sendStaticFile(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  urlPath: string,
  options: StaticFileOptions = {},
): Promise<void> {
  if (!(await isInside(root, urlPath))) return sendText(req, res, 404, 'Not found');
  await new Promise<void>((resolve, reject) => {
    res.once('close', resolve);
    // No ranges: the apps never ask for them, and a range of a response compressed on the fly would be of the wrong bytes.
    send(req, urlPath, { root, dotfiles: 'ignore', index: false, maxAge: '1y', immutable: true, acceptRanges: false })
      .on('headers', (response: ServerResponse, path: string) => {
        for (const [name, value] of Object.entries(options.headers ?? {})) response.setHeader(name, value);
        if (!isHashedAssetName(path)) response.setHeader('Cache-Control', REVALIDATE_CACHE);
      })
      .on('directory', () => sendText(req, res, 404, 'Not found'))
      .on('error', (error: SendError) => {
        const status = error.status ?? 500;
        if (status >= 500) return reject(error);
        for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
        if (NOT_FOUND.has(status)) sendText(req, res, 404, 'Not found');
        else sendText(req, res, status, STATUS_CODES[status] ?? 'Refused');
      })
      .pipe(res);
  });
}
