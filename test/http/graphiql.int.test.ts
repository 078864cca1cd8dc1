import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GRAPHIQL_CONTENT_SECURITY_POLICY, createGraphiqlHandler, wantsGraphiql } from '../../src/http/graphiql';
import { defaultWebAssetsDir } from '../../src/http/webApp';
import { PROJECT_ROOT, buildWebAssets } from '../testing/webAssets';
import { startTestServer, type TestServer } from './graphiqlTestServer';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** A raw request: the path goes out exactly as written (fetch would normalise `..`). */
function rawGet(origin: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: IncomingMessage['headers']; body: string }>((resolve, reject) => {
    const req = request(`${origin}/`, { method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Same-origin files a script or stylesheet names: hashed build outputs such as `chunk-ABCD1234.js`. */
function referencedFiles(source: string): string[] {
  const names = source.matchAll(/["'`(](?:\.\/)?([\w.-]+-[A-Z0-9]{8}\.(?:js|css|svg|woff2?|ttf))["'`)]/g);
  return [...new Set([...names].map((match) => match[1]))];
}

describe('GraphiQL over HTTP', () => {
  let server: TestServer;

  beforeAll(async () => {
    await buildWebAssets();
    server = await startTestServer(defaultWebAssetsDir());
  }, 300_000);

  afterAll(async () => {
    await server?.close();
  });

  it('resolves the default assets folder to dist/public under the project root', () => {
    expect(defaultWebAssetsDir()).toBe(join(PROJECT_ROOT, 'dist', 'public'));
  });

  it.each(['/graphiql', '/graphiql/', '/graphiql/index.html'])('serves the page at %s with a strict CSP', async (path) => {
    const response = await fetch(`${server.origin}${path}`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(GRAPHIQL_CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(html).toContain('<title>Authorization code clients — GraphiQL</title>');
    expect(html).toContain('<base href="/graphiql/">');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('allows nothing but its own origin, plus the few relaxations it documents', () => {
    const directives = Object.fromEntries(
      GRAPHIQL_CONTENT_SECURITY_POLICY.split(';').map((directive) => {
        const [name = '', ...sources] = directive.trim().split(/\s+/);
        return [name, sources];
      }),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['worker-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    for (const sources of Object.values(directives)) {
      expect(sources.filter((source) => !["'self'", "'none'", "'unsafe-inline'", 'data:'].includes(source))).toEqual([]);
    }
    expect(GRAPHIQL_CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });

  it('answers every script, style and worker the page needs, same-origin, with its content type', async () => {
    const pageUrl = `${server.origin}/graphiql`;
    const html = await (await fetch(pageUrl)).text();
    const base = new URL(/<base href="([^"]+)">/.exec(html)![1], pageUrl);
    const fromHtml = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1], base));
    expect(fromHtml.map((url) => url.origin)).toEqual(fromHtml.map(() => server.origin));
    expect(fromHtml.map((url) => url.pathname)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/graphiql\/graphiql-\w{8}\.js$/), expect.stringMatching(/\.css$/)]),
    );

    const seen = new Map<string, string>();
    const queue = fromHtml.map((url) => url.pathname.slice('/graphiql/'.length));
    while (queue.length > 0) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      const response = await fetch(`${base.href}${file}`);
      const body = await response.text();
      expect({ file, status: response.status }).toEqual({ file, status: 200 });
      seen.set(file, response.headers.get('content-type') ?? '');
      if (/\.(?:js|css)$/.test(file)) queue.push(...referencedFiles(body));
    }

    const workers = [...seen.keys()].filter((file) => file.includes('.worker-'));
    expect(workers.map((file) => file.split('.worker-')[0]).sort()).toEqual(['editor', 'graphql', 'json']);
    for (const [file, type] of seen) {
      const expected = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'image/svg+xml';
      expect({ file, type: type.split(';')[0] }).toEqual({ file, type: expected });
    }
  });

  it('caches hashed assets for good, revalidates with the ETag, and serves precompressed copies', async () => {
    const html = await (await fetch(`${server.origin}/graphiql`)).text();
    const script = /src="\.\/(graphiql-\w{8}\.js)"/.exec(html)![1];
    const path = `/graphiql/${script}`;

    const plain = await rawGet(server.origin, path);
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['x-content-type-options']).toBe('nosniff');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(Number(plain.headers['content-length'])).toBe(Buffer.byteLength(plain.body));

    const revalidated = await rawGet(server.origin, path, { 'If-None-Match': plain.headers.etag! });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body).toBe('');

    const brotli = await rawGet(server.origin, path, { 'Accept-Encoding': 'gzip, br' });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers.vary).toBe('Accept-Encoding');
    const gzip = await rawGet(server.origin, path, { 'Accept-Encoding': 'gzip, br;q=0' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const page = await rawGet(server.origin, '/graphiql', {}, 'HEAD');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(GRAPHIQL_CONTENT_SECURITY_POLICY);
    expect(Number(page.headers['content-length'])).toBeGreaterThan(0);
    expect(page.body).toBe('');
  });

  it('serves the page for a browser GET of /graphql, and leaves API requests to the GraphQL server', async () => {
    const page = await fetch(`${server.origin}/graphql`, { headers: { Accept: HTML } });
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<base href="/graphiql/">');

    const api = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: HTML, Authorization: 'Bearer acme:alice' },
      body: JSON.stringify({ query: '{ me { tenantId } }' }),
    });
    expect(await api.json()).toEqual({ data: { me: { tenantId: 'acme' } } });
  });

  it('decides which requests want GraphiQL', () => {
    const req = (method: string, url: string, accept?: string) =>
      ({ method, url, headers: accept ? { accept } : {} }) as IncomingMessage;
    expect(wantsGraphiql(req('GET', '/graphql', HTML))).toBe(true);
    expect(wantsGraphiql(req('HEAD', '/graphql', 'text/html'))).toBe(true);
    expect(wantsGraphiql(req('GET', '/graphql?query=%7Bme%7Bid%7D%7D', HTML))).toBe(false);
    expect(wantsGraphiql(req('GET', '/graphql', 'application/json'))).toBe(false);
    expect(wantsGraphiql(req('GET', '/graphql', '*/*'))).toBe(false);
    expect(wantsGraphiql(req('GET', '/graphql', 'text/html;q=0, application/json'))).toBe(false);
    expect(wantsGraphiql(req('GET', '/graphql'))).toBe(false);
    expect(wantsGraphiql(req('POST', '/graphql', HTML))).toBe(false);
    expect(wantsGraphiql(req('GET', '/other', HTML))).toBe(false);
  });

  it.each([
    '/graphiql/../package.json',
    '/graphiql/%2e%2e/package.json',
    '/graphiql/..%2fpackage.json',
    '/graphiql/..%2f..%2f..%2fpackage.json',
    '/graphiql/..%5c..%5cpackage.json',
    '/graphiql/%2e%2e%2f%2e%2e%2fsrc%2fhttp%2fgraphiql.ts',
    '/graphiql/%00index.html',
    '/graphiql/.graphiql-build.lock/pid',
    '/graphiql//etc/passwd',
  ])('refuses to leave the build folder: %s', async (path) => {
    const response = await rawGet(server.origin, path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('authorization-code-clients');
    expect(response.body).not.toContain('root:');
  });

  it('answers 404 for an unknown asset', async () => {
    const response = await rawGet(server.origin, '/graphiql/chunk-NOTTHERE.js');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('lets other methods through to the router', () => {
    const handler = createGraphiqlHandler({ assetsDir: defaultWebAssetsDir() });
    const req = { method: 'POST', url: '/graphiql', headers: {} } as IncomingMessage;
    expect(handler(req, {} as never)).toBe(false);
    expect(handler({ ...req, method: 'GET', url: '/graphiqlx' } as IncomingMessage, {} as never)).toBe(false);
  });

  describe('before the assets are built', () => {
    let bare: TestServer;
    let emptyDir: string;

    beforeAll(async () => {
      emptyDir = mkdtempSync(join(tmpdir(), 'graphiql-unbuilt-'));
      bare = await startTestServer(emptyDir);
    });

    afterAll(async () => {
      await bare?.close();
      rmSync(emptyDir, { recursive: true, force: true });
    });

    it.each(['/graphiql', '/graphiql/graphiql-ABCDEFGH.js'])('answers 503 at %s saying to run npm run build', async (path) => {
      const response = await fetch(`${bare.origin}${path}`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await response.text()).toContain('npm run build');
    });
  });

  it('builds nothing when the assets are up to date', async () => {
    const index = join(defaultWebAssetsDir(), 'graphiql', 'index.html');
    const before = readFileSync(index, 'utf8');
    const started = Date.now();
    await buildWebAssets();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(readFileSync(index, 'utf8')).toBe(before);
  });
});
