import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { ConfigError, ROLES } from '../../src/auth';
import { loadConfig } from '../../src/config';
import { writeAuditKeyFile } from '../testing/auditKeyFile';
import { type TestApp, addClient, errorCode, startTestApp } from '../testing/testApp';

const QUERY_ONE = `query($id: ID!) { authorizationCodeClient(id: $id) { id name } }`;
const RENAME = `mutation($input: RenameAuthorizationCodeClientInput!) { renameAuthorizationCodeClient(input: $input) { changed } }`;

describe('tenant isolation and roles', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.dispose());

  it("tenant B can neither read nor change tenant A's client, nor tell that it exists", async () => {
    const a = await test.caller('tenant-a');
    const b = await test.caller('tenant-b');
    const client = await addClient(test, { name: 'Secret of A' }, a.token);

    const read = await test.gql(QUERY_ONE, { id: client.id }, { token: b.token });
    expect(read.data.authorizationCodeClient).toBeNull();
    const list = await test.gql('{ authorizationCodeClients(filter: { search: "Secret" }) { totalCount } }', {}, { token: b.token });
    expect(list.data.authorizationCodeClients.totalCount).toBe(0);
    const audit = await test.gql('{ auditTrail { totalCount } }', {}, { token: b.token });
    expect(audit.data.auditTrail.totalCount).toBe(0);

    const missingId = '6d3b2a10-4c5e-4f60-8a7b-9c0d1e2f3a4b';
    const onTheirs = await test.gql(RENAME, { input: { clientId: client.id, name: 'Taken over' } }, { token: b.token });
    const onNothing = await test.gql(RENAME, { input: { clientId: missingId, name: 'Taken over' } }, { token: b.token });
    expect(errorCode(onTheirs)).toBe('NOT_FOUND');
    expect(onTheirs.errors![0].message.replace(client.id, '<id>')).toBe(onNothing.errors![0].message.replace(missingId, '<id>'));

    for (const mutation of ['deleteAuthorizationCodeClient', 'disableAuthorizationCodeClient']) {
      const inputType = mutation.replace(/^./, (c) => c.toUpperCase()) + 'Input';
      const response = await test.gql(`mutation($input: ${inputType}!) { ${mutation}(input: $input) { changed } }`, { input: { clientId: client.id } }, {
        token: b.token,
      });
      expect(errorCode(response)).toBe('NOT_FOUND');
    }
    const stillThere = await test.gql(QUERY_ONE, { id: client.id }, { token: a.token });
    expect(stillThere.data.authorizationCodeClient).toEqual({ id: client.id, name: 'Secret of A' });
  });

  it('an auditor reads clients and the audit trail but cannot change anything', async () => {
    const auditor = await test.caller('tenant-a', { roles: [ROLES.auditor], subject: 'auditor-1' });
    const client = await addClient(test, { name: 'Audited' });
    const me = await test.gql('{ me { id tenantId roles canManageClients } }', {}, { token: auditor.token });
    expect(me.data.me).toEqual({ id: 'auditor-1', tenantId: 'tenant-a', roles: [ROLES.auditor], canManageClients: false });
    const read = await test.gql(QUERY_ONE, { id: client.id }, { token: auditor.token });
    expect(read.data.authorizationCodeClient.name).toBe('Audited');
    const audit = await test.gql('{ auditTrail(filter: { actions: ["client.created"] }) { totalCount } }', {}, { token: auditor.token });
    expect(audit.data.auditTrail.totalCount).toBeGreaterThanOrEqual(1);
    const change = await test.gql(RENAME, { input: { clientId: client.id, name: 'Changed by auditor' } }, { token: auditor.token });
    expect(errorCode(change)).toBe('FORBIDDEN');
    const after = await test.gql(QUERY_ONE, { id: client.id });
    expect(after.data.authorizationCodeClient.name).toBe('Audited');
  });
});

describe('production', () => {
  it('is production however NODE_ENV is written, for error masking as for auth', () => {
    const auth = {
      AUTH_JWKS_URL: 'https://login.example.com/keys',
      AUTH_ISSUER: 'https://login.example.com',
      AUTH_AUDIENCE: 'api',
      AUDIT_SIGNING_KEY_FILE: 'audit-key.pem',
    };
    expect(loadConfig({ NODE_ENV: ' Production ', DATA_DIR: 'unused', ...auth }).production).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', DATA_DIR: 'unused' }).production).toBe(false);
  });

  it('refuses to start without auth configuration, saying why', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: 'unused' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: 'unused' })).toThrow(/AUTH_JWKS_URL|AUTH_PUBLIC_KEY_FILE/);
  });

  it('refuses to start without the audit signing key, naming the variable and how to make one', () => {
    const auth = { AUTH_JWKS_URL: 'https://login.example.com/keys', AUTH_ISSUER: 'https://login.example.com', AUDIT_SIGNING_KEY_FILE: '' };
    const start = () => loadConfig({ NODE_ENV: 'production', DATA_DIR: 'unused', AUTH_AUDIENCE: 'api', ...auth });
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(/AUDIT_SIGNING_KEY_FILE must name the audit log’s Ed25519 private key.*openssl genpkey -algorithm ed25519/);
  });

  describe('with a configured public key', () => {
    let test: TestApp;
    let auditKeyFile: string;
    let sign: (claims: Record<string, unknown>, options?: { audience?: string; expiresIn?: string }) => Promise<string>;

    beforeAll(async () => {
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      const dataDir = mkdtempSync(path.join(tmpdir(), 'acc-prod-'));
      const keyFile = path.join(dataDir, 'issuer-public.pem');
      writeFileSync(keyFile, await exportSPKI(publicKey));
      sign = (claims, { audience = 'client-admin-api', expiresIn = '5m' } = {}) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256' })
          .setIssuer('https://login.example.com')
          .setAudience(audience)
          .setSubject('prod-admin')
          .setIssuedAt()
          .setExpirationTime(expiresIn)
          .sign(privateKey);
      auditKeyFile = writeAuditKeyFile(dataDir);
      test = await startTestApp({
        dataDir,
        env: {
          NODE_ENV: 'production',
          AUDIT_SIGNING_KEY_FILE: auditKeyFile,
          AUTH_PUBLIC_KEY_FILE: keyFile,
          AUTH_ISSUER: 'https://login.example.com',
          AUTH_AUDIENCE: 'client-admin-api',
        },
      });
    });
    afterAll(() => test.dispose());

    it('accepts tokens of the configured issuer and refuses other audiences, expired and dev tokens', async () => {
      const good = await sign({ tid: 'tenant-p', roles: [ROLES.administrator] });
      expect((await test.gql('{ me { id tenantId } }', {}, { token: good })).data.me).toEqual({ id: 'prod-admin', tenantId: 'tenant-p' });
      const otherAudience = await sign({ tid: 'tenant-p', roles: [ROLES.administrator] }, { audience: 'someone-else' });
      expect(errorCode(await test.gql('{ me { id } }', {}, { token: otherAudience }))).toBe('UNAUTHENTICATED');
      const expired = await sign({ tid: 'tenant-p', roles: [ROLES.administrator] }, { expiresIn: '-5m' });
      expect(errorCode(await test.gql('{ me { id } }', {}, { token: expired }))).toBe('UNAUTHENTICATED');
      const dev = (await test.caller('tenant-p')).token;
      expect(errorCode(await test.gql('{ me { id } }', {}, { token: dev }))).toBe('UNAUTHENTICATED');
    });

    it('signs audit heads with the key file it was given, and serves that public key', async () => {
      const served = (await (await fetch(`${test.url}/.well-known/audit-log-jwks.json`)).json()) as { keys: Record<string, unknown>[] };
      const given = createPublicKey(readFileSync(auditKeyFile, 'utf8')).export({ format: 'jwk' });
      expect(served.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', x: given.x, alg: 'EdDSA' })]);
      const token = await sign({ tid: 'tenant-p', roles: [ROLES.auditor] });
      const head = (await test.gql('{ auditLogHead { signature } }', {}, { token })).data.auditLogHead;
      expect(JSON.parse(Buffer.from(head.signature.split('.')[0], 'base64url').toString())).toMatchObject({ kid: served.keys[0].kid });
    });

    it('tells anyone asking /ready only the state of each projection, not why one stopped', async () => {
      const ready = (await (await fetch(`${test.url}/ready`)).json()) as { projections: Record<string, unknown>[] };
      expect(ready.projections.map((projection) => Object.keys(projection).sort())).toEqual([
        ['name', 'position', 'state'],
        ['name', 'position', 'state'],
      ]);
    });

    it('answers INTERNAL_SERVER_ERROR without internal messages or stack traces', async () => {
      const token = await sign({ tid: 'tenant-p', roles: [ROLES.administrator] });
      const addition = await test.gql(
        `mutation($input: AddAuthorizationCodeClientInput!) { addAuthorizationCodeClient(input: $input) { changed } }`,
        { input: { name: 'Before the fault', allowedRedirectUrls: ['https://fine.example.com/cb'] } },
        { token },
      );
      expect(addition.errors).toBeUndefined();
      test.app.readModel.close();
      const response = await test.gql('{ authorizationCodeClients { totalCount } }', {}, { token });
      expect(errorCode(response)).toBe('INTERNAL_SERVER_ERROR');
      expect(response.errors![0].message).toBe('Internal server error');
      expect(Object.keys(response.errors![0].extensions).sort()).toEqual(['code', 'operationId']);
      expect(JSON.stringify(response)).not.toMatch(/\bat |\.ts:|database|sqlite/i);
    });
  });
});
