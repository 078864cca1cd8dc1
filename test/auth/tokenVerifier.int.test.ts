import type { JWTPayload } from 'jose';
import {
  ConfigError,
  type PublicKeyFileAuthConfig,
  type TokenVerifier,
  createTokenVerifier,
} from '../../src/auth';
import * as jose from 'jose';
import { UnauthenticatedError } from '../../src/errors';
import {
  AUDIENCE,
  ISSUER,
  type TestKey,
  base64url,
  claims,
  makeKey,
  rejection,
  sign,
  tempDir,
  writeTextFile,
} from './support';

let dir: string;
let cleanup: () => Promise<void>;
let key: TestKey;
let pemFile: string;
let verifier: TokenVerifier;

const fileConfig = (publicKeyFile: string): PublicKeyFileAuthConfig => ({
  mode: 'publicKeyFile',
  publicKeyFile,
  issuer: ISSUER,
  audience: AUDIENCE,
});

async function refusal(header: string | undefined, by: TokenVerifier = verifier): Promise<UnauthenticatedError> {
  const error = await rejection(by.verify(header));
  expect(error).toBeInstanceOf(UnauthenticatedError);
  return error as UnauthenticatedError;
}

async function refusalOf(payload: JWTPayload, by: TokenVerifier = verifier): Promise<string> {
  return (await refusal(`Bearer ${await sign(key, payload)}`, by)).message;
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  key = await makeKey('ES256');
  pemFile = await writeTextFile(dir, 'idp.pem', key.publicPem);
  verifier = await createTokenVerifier(fileConfig(pemFile));
});
afterAll(() => cleanup());

describe('a verifier with a PEM public key file', () => {
  it.each([
    ['Tenant Administrator', ['Tenant Administrator']],
    ['Tenant Auditor', ['Tenant Auditor']],
    ['both roles', ['Tenant Auditor', 'Tenant Administrator']],
    ['an unknown role (kept; roles decide later)', ['Something Else']],
  ])('turns a valid token for %s into a Principal', async (_label, roles) => {
    const token = await sign(key, claims({ sub: 'alice', tid: 'tenant-7', roles, name: 'Alice Example' }));
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toEqual({
      id: 'alice',
      name: 'Alice Example',
      tenantId: 'tenant-7',
      roles,
    });
  });

  it('answers when the token expires beside the same principal, and refuses what verify refuses', async () => {
    const exp = Math.floor(Date.now() / 1000) + 123;
    const token = await sign(key, claims({ sub: 'alice', exp }));
    const header = `Bearer ${token}`;
    const verified = await verifier.verifyToken(header);
    expect(verified.expiresAt).toEqual(new Date(exp * 1000));
    expect(verified.principal).toEqual(await verifier.verify(header));
    const expired = await sign(key, claims({ exp: Math.floor(Date.now() / 1000) - 3600 }));
    await expect(verifier.verifyToken(`Bearer ${expired}`)).rejects.toThrow('Token expired');
    await expect(verifier.verifyToken(undefined)).rejects.toThrow('Missing bearer token');
  });

  it('takes the name from preferred_username when there is no name, else null; missing roles are []', async () => {
    const preferred = await sign(key, claims({ name: undefined, preferred_username: 'alice@example.test' }));
    expect((await verifier.verify(`Bearer ${preferred}`)).name).toBe('alice@example.test');
    const anonymous = await sign(key, claims({ roles: undefined }));
    expect(await verifier.verify(`Bearer ${anonymous}`)).toMatchObject({ name: null, roles: [] });
  });

  it('accepts the scheme in any case and surrounding spaces', async () => {
    const token = await sign(key);
    await expect(verifier.verify(`bearer ${token}`)).resolves.toMatchObject({ id: 'user-1' });
    await expect(verifier.verify(`  BEARER   ${token}  `)).resolves.toMatchObject({ id: 'user-1' });
  });

  it('refuses an expired token, after a small clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await refusalOf(claims({ iat: now - 600, exp: now - 120 }))).toBe('Token expired');
    await expect(verifier.verify(`Bearer ${await sign(key, claims({ exp: now - 5 }))}`)).resolves.toBeDefined();
  });

  it('refuses a token without exp', async () => {
    expect(await refusalOf(claims({ exp: undefined }))).toBe('Token has no expiry (exp claim)');
  });

  it('refuses a token that is not valid yet', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await refusalOf(claims({ nbf: now + 600 }))).toBe('Token is not valid yet (nbf claim)');
  });

  it('refuses a token for another audience, or without one', async () => {
    expect(await refusalOf(claims({ aud: 'https://other.example.test/' }))).toBe('Token audience is not accepted');
    expect(await refusalOf(claims({ aud: undefined }))).toBe('Token audience is not accepted');
  });

  it('accepts a token whose audience list includes ours', async () => {
    const token = await sign(key, claims({ aud: ['https://other.example.test/', AUDIENCE] }));
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toBeDefined();
  });

  it('refuses a token from another issuer', async () => {
    expect(await refusalOf(claims({ iss: 'https://evil.example.test/' }))).toBe('Token issuer is not accepted');
  });

  it('refuses an unsigned token (alg none), built by hand', async () => {
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.`;
    expect((await refusal(`Bearer ${unsigned}`)).message).toMatch(/^Token algorithm is not accepted/);
    const withKid = `${base64url({ alg: 'none', kid: key.kid })}.${base64url(claims())}.`;
    expect((await refusal(`Bearer ${withKid}`)).message).toMatch(/^Token algorithm is not accepted/);
  });

  it('refuses an HS256 token even when the attacker uses the public key bytes as the HMAC secret', async () => {
    for (const secret of [key.publicPem, JSON.stringify(key.publicJwk)]) {
      const forged = await new jose.SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: key.kid })
        .sign(new TextEncoder().encode(secret));
      expect((await refusal(`Bearer ${forged}`)).message).toMatch(/^Token algorithm is not accepted/);
    }
  });

  it('refuses a token signed by another key', async () => {
    const other = await makeKey('ES256', key.kid);
    expect((await refusal(`Bearer ${await sign(other)}`)).message).toBe('Token signature is not valid');
  });

  it('refuses a token whose signature was tampered with', async () => {
    const [header, , signature] = (await sign(key)).split('.');
    const tampered = `${header}.${base64url(claims({ tid: 'someone-elses-tenant' }))}.${signature}`;
    expect((await refusal(`Bearer ${tampered}`)).message).toBe('Token signature is not valid');
  });

  it('refuses a token signed with an algorithm the key cannot serve', async () => {
    const rsa = await makeKey('RS256');
    expect((await refusal(`Bearer ${await sign(rsa)}`)).message).toBe('Token signing key is not known');
  });

  it.each([
    [{ tid: undefined }, 'Token has no tenant (tid claim)'],
    [{ tid: '' }, 'Token has no tenant (tid claim)'],
    [{ tid: 42 }, 'Token has no tenant (tid claim)'],
    [{ sub: undefined }, 'Token has no subject (sub claim)'],
    [{ sub: '  ' }, 'Token has no subject (sub claim)'],
    [{ roles: 'Tenant Administrator' }, 'Token roles claim must be an array of strings'],
    [{ roles: ['Tenant Administrator', 7] }, 'Token roles claim must be an array of strings'],
    [{ roles: null }, 'Token roles claim must be an array of strings'],
  ])('refuses claims %j', async (overrides, message) => {
    expect(await refusalOf(claims(overrides))).toBe(message);
  });

  it.each([
    [undefined, 'Missing bearer token'],
    ['', 'Missing bearer token'],
    ['   ', 'Missing bearer token'],
    ['Bearer', 'Missing bearer token'],
    ['Bearer    ', 'Missing bearer token'],
    ['Basic dXNlcjpwYXNzd29yZA==', 'Authorization header must use the Bearer scheme'],
    ['garbage', 'Authorization header must use the Bearer scheme'],
    ['Bearer garbage', 'Token is malformed (expected a JWT)'],
    ['Bearer a.b.c d.e.f', 'Token is malformed (expected a JWT)'],
    ['Bearer a.b', 'Token is malformed (expected a JWT)'],
    [`Bearer ${'a'.repeat(20_000)}.b.c`, 'Token is too large'],
    ['Bearer bm90LWpzb24.e30.c2ln', 'Token is malformed'],
  ])('refuses the header %j', async (header, message) => {
    expect((await refusal(header)).message).toBe(message);
  });

  it('refuses a correctly signed token whose payload is not a JSON claims set', async () => {
    const signed = await new jose.CompactSign(new TextEncoder().encode('not json'))
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .sign(key.privateKey);
    expect((await refusal(`Bearer ${signed}`)).message).toBe('Token is malformed');
  });

  it('never puts key material or library text into messages', async () => {
    const other = await makeKey('ES256', key.kid);
    const error = await refusal(`Bearer ${await sign(other)}`);
    expect(error.message).not.toMatch(/BEGIN|jose|JWS|"alg"|Error/);
    expect(error.code).toBe('UNAUTHENTICATED');
  });
});

describe('key files', () => {
  it('verifies with an RSA PEM key, for RS256 and PS256', async () => {
    const rsa = await makeKey('RS256');
    const rsaVerifier = await createTokenVerifier(fileConfig(await writeTextFile(dir, 'rsa.pem', rsa.publicPem)));
    await expect(rsaVerifier.verify(`Bearer ${await sign(rsa)}`)).resolves.toMatchObject({ id: 'user-1' });
    const pkcs8 = await jose.exportPKCS8(rsa.privateKey);
    const pss = { ...rsa, alg: 'PS256', privateKey: await jose.importPKCS8(pkcs8, 'PS256') };
    await expect(rsaVerifier.verify(`Bearer ${await sign(pss)}`)).resolves.toMatchObject({ id: 'user-1' });
  });

  it('verifies with a single JWK file', async () => {
    const ed = await makeKey('EdDSA');
    const edVerifier = await createTokenVerifier(
      fileConfig(await writeTextFile(dir, 'ed.jwk.json', JSON.stringify(ed.publicJwk))),
    );
    await expect(edVerifier.verify(`Bearer ${await sign(ed)}`)).resolves.toMatchObject({ tenantId: 'tenant-1' });
    expect((await refusal(`Bearer ${await sign(await makeKey('EdDSA', ed.kid))}`, edVerifier)).message).toBe(
      'Token signature is not valid',
    );
  });

  it('verifies with a JWKS file, choosing the key by kid', async () => {
    const first = await makeKey('ES256');
    const second = await makeKey('RS256');
    const jwks = JSON.stringify({ keys: [first.publicJwk, second.publicJwk] });
    const jwksVerifier = await createTokenVerifier(fileConfig(await writeTextFile(dir, 'jwks.json', jwks)));
    await expect(jwksVerifier.verify(`Bearer ${await sign(first)}`)).resolves.toBeDefined();
    await expect(jwksVerifier.verify(`Bearer ${await sign(second)}`)).resolves.toBeDefined();
    const stranger = await makeKey('ES256');
    expect((await refusal(`Bearer ${await sign(stranger)}`, jwksVerifier)).message).toBe('Token signing key is not known');
  });

  it.each([
    ['missing.pem', undefined, /could not be read \(ENOENT\)/],
    ['private.pem', '-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n', /holds a private key/],
    ['pkcs1.pem', '-----BEGIN RSA PUBLIC KEY-----\nMIGH\n-----END RSA PUBLIC KEY-----\n', /must be a PEM "PUBLIC KEY"/],
    ['broken.pem', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', /holds no public key usable/],
    ['secret.json', JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' }), /symmetric key/],
    ['private.json', JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' }), /private key/],
    ['empty.json', JSON.stringify({ keys: [] }), /JWKS without keys/],
    ['other.json', JSON.stringify({ hello: 'world' }), /neither a JWK/],
    ['text.txt', 'hello', /neither a PEM public key nor JSON/],
  ])('refuses a bad key file (%s) at startup with ConfigError', async (name, content, message) => {
    const file = content === undefined ? `${dir}/${name}` : await writeTextFile(dir, name, content);
    const error = await rejection(createTokenVerifier(fileConfig(file)));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(message);
  });
});
