import http from 'node:http';
import { type AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { type JwksAuthConfig, createTokenVerifier } from '../../src/auth';
import { UnauthenticatedError } from '../../src/errors';
import { AUDIENCE, ISSUER, makeKey, rejection, sign } from './support';

/** A tiny identity provider endpoint serving a JWKS that the test can rotate or break. */
interface JwksServer {
  url: string;
  requests: () => number;
  publish: (keys: JWK[]) => void;
  failWith: (status: number | undefined) => void;
  close: () => Promise<void>;
}

async function startJwksServer(): Promise<JwksServer> {
  let keys: JWK[] = [];
  let requests = 0;
  let failure: number | undefined;
  const server = http.createServer((request, response) => {
    requests += 1;
    if (request.url !== '/.well-known/jwks.json' || failure) {
      response.writeHead(failure ?? 404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    requests: () => requests,
    publish: (next) => {
      keys = next;
    },
    failWith: (status) => {
      failure = status;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

const jwksConfig = (jwksUrl: string): JwksAuthConfig => ({ mode: 'jwks', jwksUrl, issuer: ISSUER, audience: AUDIENCE });

let idp: JwksServer;
beforeAll(async () => {
  idp = await startJwksServer();
});
afterAll(() => idp.close());

describe('a verifier with a JWKS URL', () => {
  it('verifies tokens with the published keys and caches them', async () => {
    const key = await makeKey('RS256');
    idp.publish([key.publicJwk]);
    const verifier = await createTokenVerifier(jwksConfig(idp.url));
    const before = idp.requests();
    await expect(verifier.verify(`Bearer ${await sign(key)}`)).resolves.toMatchObject({ id: 'user-1' });
    await expect(verifier.verify(`Bearer ${await sign(key)}`)).resolves.toMatchObject({ id: 'user-1' });
    expect(idp.requests() - before).toBe(1);
  });

  it('refetches the keys when a token names an unknown kid (key rotation)', async () => {
    const oldKey = await makeKey('ES256');
    const newKey = await makeKey('ES256');
    idp.publish([oldKey.publicJwk]);
    const verifier = await createTokenVerifier(jwksConfig(idp.url), { jwks: { cooldownMs: 0 } });
    await expect(verifier.verify(`Bearer ${await sign(oldKey)}`)).resolves.toBeDefined();

    idp.publish([oldKey.publicJwk, newKey.publicJwk]);
    const before = idp.requests();
    await expect(verifier.verify(`Bearer ${await sign(newKey)}`)).resolves.toBeDefined();
    expect(idp.requests() - before).toBe(1);

    idp.publish([newKey.publicJwk]);
    const stranger = await makeKey('ES256');
    const error = await rejection(verifier.verify(`Bearer ${await sign(stranger)}`));
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error.message).toBe('Token signing key is not known');
  });

  it('does not refetch for unknown kids during the cooldown (no fetch storm from forged kids)', async () => {
    const key = await makeKey('ES256');
    idp.publish([key.publicJwk]);
    const verifier = await createTokenVerifier(jwksConfig(idp.url), { jwks: { cooldownMs: 60_000 } });
    await verifier.verify(`Bearer ${await sign(key)}`);
    const before = idp.requests();
    for (let i = 0; i < 5; i += 1) {
      const forged = await makeKey('ES256');
      await expect(verifier.verify(`Bearer ${await sign(forged)}`)).rejects.toThrow('Token signing key is not known');
    }
    expect(idp.requests()).toBe(before);
  });

  it('refuses with a "keys could not be fetched" error, keeping the cause, when the endpoint fails', async () => {
    const key = await makeKey('ES256');
    idp.failWith(500);
    try {
      const verifier = await createTokenVerifier(jwksConfig(idp.url));
      const error = await rejection(verifier.verify(`Bearer ${await sign(key)}`));
      expect(error).toBeInstanceOf(UnauthenticatedError);
      expect(error.message).toBe('Token signing keys could not be fetched');
      expect(error.cause).toBeInstanceOf(Error);
    } finally {
      idp.failWith(undefined);
    }
  });

  it('refuses with a "keys could not be fetched" error when the URL is unreachable', async () => {
    const closed = await startJwksServer();
    await closed.close();
    const verifier = await createTokenVerifier(jwksConfig(closed.url), { jwks: { timeoutMs: 2000 } });
    const error = await rejection(verifier.verify(`Bearer ${await sign(await makeKey('ES256'))}`));
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error.message).toBe('Token signing keys could not be fetched');
    expect(error.cause).toBeDefined();
    expect(error.message).not.toContain('127.0.0.1');
  });

  it('still checks issuer and audience for tokens signed by published keys', async () => {
    const key = await makeKey('ES256');
    idp.publish([key.publicJwk]);
    const verifier = await createTokenVerifier(jwksConfig(idp.url));
    const wrongIssuer = await sign(key, { iss: 'https://evil.example.test/', aud: AUDIENCE, sub: 's', tid: 't', exp: Math.floor(Date.now() / 1000) + 60 });
    await expect(verifier.verify(`Bearer ${wrongIssuer}`)).rejects.toThrow('Token issuer is not accepted');
  });
});
