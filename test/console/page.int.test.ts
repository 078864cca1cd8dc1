import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, createServer, request } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConsoleSignIn, consoleContentSecurityPolicy, createConsoleHandler } from '../../src/http/console';
import { consoleConfigIn } from './consolePage';

const TEMPLATE = `<!doctype html>
<html lang="en">
  <head>
    <link rel="stylesheet" href="/console/console-ABCDEFGH.css" />
  </head>
  <body><div id="root"></div></body>
</html>
`;

/** A raw request: the path goes out exactly as written (fetch would normalise `..`). */
function rawGet(origin: string, path: string, method = 'GET', headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: IncomingMessage['headers']; body: string }>((resolve, reject) => {
    const req = request(`${origin}/`, { method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The directives of a CSP, by name. */
const directives = (policy: string) =>
  Object.fromEntries(policy.split(';').map((directive) => {
    const [name = '', ...sources] = directive.trim().split(/\s+/);
    return [name, sources];
  }));

describe('the admin console over HTTP', () => {
  let assetsDir: string;
  const servers: Server[] = [];

  /** A server answering with the console handler, 404 for anything it does not take. */
  async function serve(signIn: ConsoleSignIn, dir = assetsDir): Promise<string> {
    const handler = createConsoleHandler({ assetsDir: dir, signIn });
    const server = createServer((req, res) => {
      if (!handler(req, res)) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not taken\n');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(() => {
    assetsDir = mkdtempSync(join(tmpdir(), 'console-assets-'));
    mkdirSync(join(assetsDir, 'console'));
    writeFileSync(join(assetsDir, 'console', 'index.html'), TEMPLATE);
    writeFileSync(join(assetsDir, 'console', 'console-ABCDEFGH.css'), 'body { color: black }\n');
    writeFileSync(join(assetsDir, 'console', 'console-LARGE123.js'), `${'console.log("a large asset");\n'.repeat(200)}`);
    writeFileSync(join(assetsDir, 'secret.txt'), 'outside the build\n');
    symlinkSync(join(assetsDir, 'secret.txt'), join(assetsDir, 'console', 'secret-ABCDEFGH.txt'));
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    rmSync(assetsDir, { recursive: true, force: true });
  });

  it.each(['/', '/index.html'])('serves the page at %s with its sign-in configuration and a strict CSP', async (path) => {
    const signIn: ConsoleSignIn = { signIn: 'token', development: true };
    const origin = await serve(signIn);
    const response = await fetch(`${origin}${path}`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(consoleConfigIn(html)).toEqual(signIn);
    expect(html).not.toContain('<base');
    const csp = directives(response.headers.get('content-security-policy') ?? '');
    expect(csp['default-src']).toEqual(["'none'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'"]);
    expect(csp['connect-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
  });

  it('lets the page reach the platform’s token endpoint, and nothing else beyond its own origin', async () => {
    const signIn: ConsoleSignIn = {
      signIn: 'platform',
      tokenUrl: 'https://id.example.com/session/token?for=console&x=%22q%22',
      signInUrl: 'https://id.example.com/sign-in?return=<console>',
    };
    const origin = await serve(signIn);
    const response = await fetch(`${origin}/`);
    const html = await response.text();

    expect(consoleConfigIn(html)).toEqual(signIn);
    expect(html).not.toContain('<console>');
    expect(response.headers.get('content-security-policy')).toBe(consoleContentSecurityPolicy(signIn));
    expect(directives(consoleContentSecurityPolicy(signIn))['connect-src']).toEqual(["'self'", 'https://id.example.com']);
  });

  it('serves its assets under /console/, hashed ones cached for good', async () => {
    const origin = await serve({ signIn: 'token', development: false });
    const asset = await rawGet(origin, '/console/console-ABCDEFGH.css');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toBe('body { color: black }\n');

    expect((await rawGet(origin, '/console/missing-ABCDEFGH.js')).status).toBe(404);
    expect((await rawGet(origin, '/console/../secret.txt')).status).toBe(404);
    expect((await rawGet(origin, '/console/%2e%2e/secret.txt')).status).toBe(404);
    expect((await rawGet(origin, '/console/secret-ABCDEFGH.txt')).status).toBe(404);
  });

  it('answers a range request with the whole asset, compressed as asked, never a slice of the compressed bytes', async () => {
    const origin = await serve({ signIn: 'token', development: false });
    const whole = await rawGet(origin, '/console/console-LARGE123.js', 'GET', { Range: 'bytes=0-99' });
    expect(whole.status).toBe(200);
    expect(whole.headers['content-range']).toBeUndefined();
    expect(whole.body).toBe('console.log("a large asset");\n'.repeat(200));
    const gzipped = await rawGet(origin, '/console/console-LARGE123.js', 'GET', { Range: 'bytes=0-99', 'Accept-Encoding': 'gzip' });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['content-range']).toBeUndefined();
  });

  it('answers the page uncompressed, so its strong ETag names one representation', async () => {
    const origin = await serve({ signIn: 'token', development: false });
    const page = await rawGet(origin, '/', 'GET', { 'Accept-Encoding': 'gzip, br' });
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBeUndefined();
    expect(page.headers.etag).toMatch(/^"/);
  });

  it('revalidates the page with its ETag', async () => {
    const signIn: ConsoleSignIn = { signIn: 'token', development: false };
    const origin = await serve(signIn);
    const page = await rawGet(origin, '/');
    expect(page.headers.etag).toBeDefined();

    const revalidated = await rawGet(origin, '/', 'GET', { 'If-None-Match': page.headers.etag! });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body).toBe('');
    expect(revalidated.headers['content-security-policy']).toBe(consoleContentSecurityPolicy(signIn));

    const otherSignIn = await serve({ signIn: 'token', development: true });
    expect((await rawGet(otherSignIn, '/', 'GET', { 'If-None-Match': page.headers.etag! })).status).toBe(200);
  });

  it('leaves other paths and methods to the rest of the server', async () => {
    const origin = await serve({ signIn: 'token', development: false });
    for (const [method, path] of [['POST', '/'], ['DELETE', '/'], ['GET', '/graphql'], ['GET', '/consoles']]) {
      const response = await rawGet(origin, path, method);
      expect({ method, path, body: response.body }).toEqual({ method, path, body: 'not taken\n' });
    }
  });

  it('answers 503 saying how to build it while it was never built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'console-unbuilt-'));
    try {
      const origin = await serve({ signIn: 'token', development: true }, empty);
      for (const path of ['/', '/console/console-ABCDEFGH.js']) {
        const response = await rawGet(origin, path);
        expect(response.status).toBe(503);
        expect(response.body).toContain('The admin console is not built yet: run `npm run build`');
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
