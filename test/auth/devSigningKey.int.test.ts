import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ConfigError,
  DEV_AUDIENCE,
  DEV_DEFAULT_SUBJECT,
  DEV_ISSUER,
  DEV_SIGNING_KEY_FILE,
  createTokenVerifier,
  loadOrCreateDevSigningKey,
  mintDevToken,
  resolveAuthConfig,
} from '../../src/auth';
import * as jose from 'jose';
import { UnauthenticatedError } from '../../src/errors';
import { rejection, tempDir } from './support';

let root: string;
let cleanup: () => Promise<void>;
let counter = 0;
const freshDir = () => path.join(root, `data-${(counter += 1)}`, 'nested');

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir());
});
afterAll(() => cleanup());

describe('loadOrCreateDevSigningKey', () => {
  it('creates an ES256 private JWK with a kid, mode 0600, creating the directory', async () => {
    const dataDir = freshDir();
    const key = await loadOrCreateDevSigningKey(dataDir);
    const file = path.join(dataDir, DEV_SIGNING_KEY_FILE);
    expect(key.file).toBe(file);
    expect(key.alg).toBe('ES256');
    const stored = JSON.parse(await readFile(file, 'utf8'));
    expect(stored).toMatchObject({ kty: 'EC', crv: 'P-256', kid: key.kid, alg: 'ES256', use: 'sig' });
    expect(typeof stored.d).toBe('string');
    expect(key.publicJwk).not.toHaveProperty('d');
    expect(key.publicJwk).toMatchObject({ kid: key.kid, x: stored.x, y: stored.y });
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('reuses the key it created', async () => {
    const dataDir = freshDir();
    const first = await loadOrCreateDevSigningKey(dataDir);
    const content = await readFile(first.file, 'utf8');
    const second = await loadOrCreateDevSigningKey(dataDir);
    expect(second.kid).toBe(first.kid);
    expect(await readFile(first.file, 'utf8')).toBe(content);
  });

  it('ends with one key when several creations race, leaving no temporary files', async () => {
    const dataDir = freshDir();
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateDevSigningKey(dataDir)));
    expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
    expect(await readdir(dataDir)).toEqual([DEV_SIGNING_KEY_FILE]);
    const stored = JSON.parse(await readFile(path.join(dataDir, DEV_SIGNING_KEY_FILE), 'utf8'));
    expect(stored.kid).toBe(keys[0].kid);
  });

  it('refuses a damaged key file with a ConfigError saying what to do', async () => {
    const dataDir = freshDir();
    await loadOrCreateDevSigningKey(dataDir);
    await writeFile(path.join(dataDir, DEV_SIGNING_KEY_FILE), '{"kty":"EC"}');
    const error = await rejection(loadOrCreateDevSigningKey(dataDir));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/is not a valid ES256 private JWK. Delete it/);
  });
});

describe('dev tokens', () => {
  it('are verified by the dev verifier, with issuer, audience and the given claims', async () => {
    const dataDir = freshDir();
    const token = await mintDevToken({
      dataDir,
      tenantId: 'tenant-9',
      roles: ['Tenant Auditor'],
      subject: 'dev-alice',
      name: 'Alice',
    });
    const verifier = await createTokenVerifier(resolveAuthConfig({ NODE_ENV: 'development' }, dataDir));
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toEqual({
      id: 'dev-alice',
      name: 'Alice',
      tenantId: 'tenant-9',
      roles: ['Tenant Auditor'],
    });
    const header = jose.decodeProtectedHeader(token);
    const claims = jose.decodeJwt(token);
    expect(header).toMatchObject({ alg: 'ES256', kid: (await loadOrCreateDevSigningKey(dataDir)).kid });
    expect(claims).toMatchObject({ iss: DEV_ISSUER, aud: DEV_AUDIENCE });
  });

  it('default to the dev-user subject, no name and an 8 hour lifetime', async () => {
    const dataDir = freshDir();
    const token = await mintDevToken({ dataDir, tenantId: 't1', roles: ['Tenant Administrator'] });
    const claims = jose.decodeJwt(token);
    expect(claims.sub).toBe(DEV_DEFAULT_SUBJECT);
    expect(claims).not.toHaveProperty('name');
    expect(claims.exp! - claims.iat!).toBe(8 * 60 * 60);
    const verifier = await createTokenVerifier(resolveAuthConfig({}, dataDir));
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toEqual({
      id: 'dev-user',
      name: null,
      tenantId: 't1',
      roles: ['Tenant Administrator'],
    });
  });

  it('expire like any other token', async () => {
    const dataDir = freshDir();
    const now = new Date(Date.now() - 2 * 60 * 60 * 1000);
    const token = await mintDevToken({ dataDir, tenantId: 't1', roles: [], expiresInSeconds: 3600, now });
    const verifier = await createTokenVerifier(resolveAuthConfig({}, dataDir));
    const error = await rejection(verifier.verify(`Bearer ${token}`));
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error.message).toBe('Token expired');
  });

  it('from another data directory (another key) are refused, saying so', async () => {
    const token = await mintDevToken({ dataDir: freshDir(), tenantId: 't1', roles: [] });
    const verifier = await createTokenVerifier(resolveAuthConfig({}, freshDir()));
    await expect(verifier.verify(`Bearer ${token}`)).rejects.toThrow(
      "Token was signed by another data directory's development key: make it with `npm run token` and the DATA_DIR this server was started with",
    );
  });

  it('need a tenant and a positive lifetime', async () => {
    const dataDir = freshDir();
    await expect(mintDevToken({ dataDir, tenantId: ' ', roles: [] })).rejects.toThrow('needs a tenant id');
    await expect(mintDevToken({ dataDir, tenantId: 't', roles: [], expiresInSeconds: 0 })).rejects.toThrow(RangeError);
  });
});
