import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { writeAuditKeyFile } from '../testing/auditKeyFile';
import { type TestApp, startTestApp } from '../testing/testApp';
import { consoleConfigIn } from './consolePage';

/** A console build with nothing but its page: the service's wiring is under test, not the bundle. */
function fakeConsoleBuild(): string {
  const assetsDir = mkdtempSync(join(tmpdir(), 'console-signin-assets-'));
  mkdirSync(join(assetsDir, 'console'));
  writeFileSync(join(assetsDir, 'console', 'index.html'), '<!doctype html>\n<html><head><title>Console</title></head><body></body></html>\n');
  return assetsDir;
}

/** A logger that keeps every warning (and worse) it is given, by message. */
function recordingLogger() {
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) });
  return { logger, warnings };
}

const connectSources = (policy: string | null) =>
  (policy ?? '').split(';').map((directive) => directive.trim().split(/\s+/)).find(([name]) => name === 'connect-src')?.slice(1);

describe('the admin console’s sign-in, as the service configures it from its environment', () => {
  let assetsDir: string;
  let keysDir: string;
  const apps: TestApp[] = [];

  async function start(env: Record<string, string>) {
    const { logger, warnings } = recordingLogger();
    const test = await startTestApp({ eventStore: 'sqlite', env, overrides: { logger, webAssetsDir: assetsDir } });
    apps.push(test);
    const response = await fetch(`${test.url}/`, { redirect: 'manual' });
    return { response, html: await response.text(), warnings };
  }

  beforeAll(() => {
    assetsDir = fakeConsoleBuild();
    keysDir = mkdtempSync(join(tmpdir(), 'console-signin-keys-'));
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(keysDir, 'issuer.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  });

  afterAll(async () => {
    await Promise.all(apps.map((test) => test.dispose()));
    rmSync(assetsDir, { recursive: true, force: true });
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('in development with nothing set: a pasted token, the page saying `npm run token` makes one', async () => {
    const { response, html, warnings } = await start({ NODE_ENV: 'development' });
    expect(response.status).toBe(200);
    expect(consoleConfigIn(html)).toEqual({ signIn: 'token', development: true });
    expect(connectSources(response.headers.get('content-security-policy'))).toEqual(["'self'"]);
    expect(warnings).toEqual([]);
  });

  it('in production without CONSOLE_TOKEN_URL: a pasted token, and one warning at start saying why', async () => {
    const { response, html, warnings } = await start({
      NODE_ENV: 'production',
      AUDIT_SIGNING_KEY_FILE: writeAuditKeyFile(keysDir),
      AUTH_PUBLIC_KEY_FILE: join(keysDir, 'issuer.pem'),
      AUTH_ISSUER: 'https://id.example.com',
      AUTH_AUDIENCE: 'authorization-code-clients',
    });
    expect(response.status).toBe(200);
    expect(consoleConfigIn(html)).toEqual({ signIn: 'token', development: false });
    expect(warnings.filter((message) => message.includes('CONSOLE_TOKEN_URL is not set'))).toHaveLength(1);
  });

  it('with CONSOLE_TOKEN_URL and CONSOLE_SIGN_IN_URL: the platform’s sign-in, its token endpoint the only other origin reachable', async () => {
    const { response, html, warnings } = await start({
      CONSOLE_TOKEN_URL: 'https://id.example.com/session/token?client=console',
      CONSOLE_SIGN_IN_URL: 'https://login.example.com/sign-in?return=console',
    });
    expect(response.status).toBe(200);
    expect(consoleConfigIn(html)).toEqual({
      signIn: 'platform',
      tokenUrl: 'https://id.example.com/session/token?client=console',
      signInUrl: 'https://login.example.com/sign-in?return=console',
    });
    expect(connectSources(response.headers.get('content-security-policy'))).toEqual(["'self'", 'https://id.example.com']);
    expect(warnings).toEqual([]);
  });

  it('with CONSOLE_TOKEN_URL alone: the platform’s sign-in with no sign-in page to link', async () => {
    const { html } = await start({ CONSOLE_TOKEN_URL: 'http://127.0.0.1:9999/token' });
    expect(consoleConfigIn(html)).toEqual({ signIn: 'platform', tokenUrl: 'http://127.0.0.1:9999/token', signInUrl: null });
  });
});
