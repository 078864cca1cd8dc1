import type { JWTPayload } from 'jose';
import path from 'node:path';
import { MAX_TENANT_ID_LENGTH, type TokenVerifier, createTokenVerifier, mintDevToken } from '../../src/auth';
import { type CliIo, runCli } from '../../src/cli';
import { loadConfig } from '../../src/config';
import { UnauthenticatedError } from '../../src/errors';
import { AUDIENCE, ISSUER, type TestKey, claims, makeKey, rejection, sign, tempDir, writeTextFile } from './support';

let dir: string;
let cleanup: () => Promise<void>;
let key: TestKey;
let verifier: TokenVerifier;
let shortLived: TokenVerifier;

const now = () => Math.floor(Date.now() / 1000);

async function refusalOf(payload: JWTPayload, by: TokenVerifier = verifier): Promise<string> {
  const error = await rejection(by.verify(`Bearer ${await sign(key, payload)}`));
  expect(error).toBeInstanceOf(UnauthenticatedError);
  return (error as UnauthenticatedError).message;
}

const accepted = async (payload: JWTPayload, by: TokenVerifier = verifier) =>
  (await by.verify(`Bearer ${await sign(key, payload)}`)).tenantId;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  key = await makeKey('ES256');
  const config = { mode: 'publicKeyFile' as const, publicKeyFile: await writeTextFile(dir, 'idp.pem', key.publicPem), issuer: ISSUER, audience: AUDIENCE };
  verifier = await createTokenVerifier(config);
  shortLived = await createTokenVerifier(config, { maxTokenLifetimeSeconds: 600 });
});
afterAll(() => cleanup());

describe('token times', () => {
  it('refuses an iat in the future beyond the clock tolerance, and accepts one within it', async () => {
    expect(await refusalOf(claims({ iat: now() + 120, exp: now() + 600 }))).toBe('Token issue time (iat claim) is in the future');
    await expect(accepted(claims({ iat: now() + 10, exp: now() + 600 }))).resolves.toBe('tenant-1');
  });

  it('refuses a lifetime (exp - iat) longer than 24 hours by default', async () => {
    const iat = now();
    expect(await refusalOf(claims({ iat, exp: iat + 24 * 3600 + 1 }))).toMatch(/^Token lifetime \(exp - iat\) is 86401 s, more than the maximum of 86400 s$/);
    await expect(accepted(claims({ iat, exp: iat + 24 * 3600 }))).resolves.toBe('tenant-1');
  });

  it('measures exp - now when there is no iat', async () => {
    expect(await refusalOf(claims({ iat: undefined, exp: now() + 25 * 3600 }))).toMatch(/^Token lifetime \(exp - now\)/);
    await expect(accepted(claims({ iat: undefined, exp: now() + 3600 }))).resolves.toBe('tenant-1');
  });

  it('takes the maximum from its options', async () => {
    expect(await refusalOf(claims({ exp: now() + 601 }), shortLived)).toMatch(/more than the maximum of 600 s/);
    await expect(accepted(claims({ exp: now() + 600 }), shortLived)).resolves.toBe('tenant-1');
  });

  it('reads the maximum from AUTH_MAX_TOKEN_LIFETIME_SECONDS, checked', () => {
    expect(loadConfig({}, dir).maxTokenLifetimeSeconds).toBe(86400);
    expect(loadConfig({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600' }, dir).maxTokenLifetimeSeconds).toBe(3600);
    expect(() => loadConfig({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '1h' }, dir)).toThrow(/AUTH_MAX_TOKEN_LIFETIME_SECONDS must be a whole number from 60/);
  });
});

describe('tenant ids (tid)', () => {
  it.each([
    [' tenant-1', 'has spaces around it'],
    ['tenant-1\t', 'has spaces around it'],
    ['ten\u0000ant', 'contains a control or invisible character'],
    ['ten\nant', 'contains a control or invisible character'],
    ['ten\u200bant', 'contains a control or invisible character'],
    ['ten\u202eant', 'contains a control or invisible character'],
    ['t'.repeat(MAX_TENANT_ID_LENGTH + 1), `is longer than ${MAX_TENANT_ID_LENGTH} characters`],
  ])('refuses %j: %s', async (tid, rule) => {
    expect(await refusalOf(claims({ tid }))).toBe(`Token tenant (tid claim) ${rule}`);
  });

  it('keeps a tenant id exactly as given: case matters, inner spaces and other scripts are allowed', async () => {
    await expect(accepted(claims({ tid: 'Acme' }))).resolves.toBe('Acme');
    await expect(accepted(claims({ tid: 'acme' }))).resolves.toBe('acme');
    await expect(accepted(claims({ tid: 'Société Générale' }))).resolves.toBe('Société Générale');
    await expect(accepted(claims({ tid: 't'.repeat(MAX_TENANT_ID_LENGTH) }))).resolves.toHaveLength(MAX_TENANT_ID_LENGTH);
  });
});

describe('development tokens', () => {
  const cli = async (argv: string[], env: NodeJS.ProcessEnv = { DATA_DIR: 'data' }) => {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env, cwd: dir };
    return { code: await runCli(argv, io), stdout, stderr };
  };

  it('npm run token refuses --expires-in beyond the maximum, printing nothing on stdout', async () => {
    const refused = await cli(['token', '--tenant', 't1', '--role', 'Tenant Auditor', '--expires-in', '86401']);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toContain('--expires-in is 86401 seconds, more than the server accepts: at most 86400 (AUTH_MAX_TOKEN_LIFETIME_SECONDS)');
    const bounded = await cli(['token', '--tenant', 't1', '--role', 'Tenant Auditor', '--expires-in', '4000'], {
      DATA_DIR: 'data',
      AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600',
    });
    expect(bounded).toMatchObject({ code: 2, stdout: '' });
    expect(bounded.stderr).toContain('at most 3600');
    expect((await cli(['token', '--tenant', 't1', '--role', 'Tenant Auditor', '--expires-in', '86400'])).code).toBe(0);
  });

  it('npm run token refuses a tenant id of the wrong shape', async () => {
    const refused = await cli(['token', '--tenant', 'a\u0007b', '--role', 'Tenant Auditor']);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toContain('--tenant: the tenant id contains a control or invisible character');
  });

  it('mintDevToken is bounded the same way', async () => {
    const dataDir = path.join(dir, 'mint');
    await expect(mintDevToken({ dataDir, tenantId: 't', roles: [], expiresInSeconds: 86401 })).rejects.toThrow(RangeError);
    await expect(mintDevToken({ dataDir, tenantId: 't', roles: [], expiresInSeconds: 700, maxLifetimeSeconds: 600 })).rejects.toThrow(/600 seconds/);
  });
});
