import { access } from 'node:fs/promises';
import path from 'node:path';
import { DEV_SIGNING_KEY_FILE, createTokenVerifier, resolveAuthConfig } from '../../src/auth';
import * as jose from 'jose';
import { type CliIo, runCli } from '../../src/cli';
import { tempDir } from '../auth/support';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let cwd: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir: cwd, cleanup } = await tempDir());
});
afterAll(() => cleanup());

async function cli(argv: string[], env: NodeJS.ProcessEnv = { DATA_DIR: 'data' }): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env,
    cwd,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const JWT_LINE = /^[\w-]+\.[\w-]+\.[\w-]+\n$/;

describe('cli token', () => {
  it('prints exactly one line, a token the dev verifier accepts with the given claims', async () => {
    const run = await cli([
      'token', '--tenant', 't1', '--role', 'Tenant Administrator', '--role', 'Tenant Auditor',
      '--sub', 'dev-alice', '--name', 'Alice Example', '--expires-in', '600',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(JWT_LINE);
    expect(run.stderr).toContain('Authorization: Bearer');

    const verifier = await createTokenVerifier(resolveAuthConfig({}, path.join(cwd, 'data')));
    await expect(verifier.verify(`Bearer ${run.stdout.trim()}`)).resolves.toEqual({
      id: 'dev-alice',
      name: 'Alice Example',
      tenantId: 't1',
      roles: ['Tenant Administrator', 'Tenant Auditor'],
    });
    const claims = jose.decodeJwt(run.stdout.trim());
    expect(claims.exp! - claims.iat!).toBe(600);
  });

  it('uses the defaults: subject dev-user, no name, 8 hours', async () => {
    const run = await cli(['token', '--tenant', 't2', '--role', 'Tenant Auditor']);
    expect(run.code).toBe(0);
    const claims = jose.decodeJwt(run.stdout.trim());
    expect(claims).toMatchObject({ sub: 'dev-user', tid: 't2', roles: ['Tenant Auditor'] });
    expect(claims).not.toHaveProperty('name');
    expect(claims.exp! - claims.iat!).toBe(8 * 3600);
  });

  it('finds the key through DATA_DIR resolved against the working directory, default ./data', async () => {
    expect((await cli(['token', '--tenant', 't', '--role', 'Tenant Auditor'], { DATA_DIR: 'elsewhere/dir' })).code).toBe(0);
    await access(path.join(cwd, 'elsewhere', 'dir', DEV_SIGNING_KEY_FILE));
    expect((await cli(['token', '--tenant', 't', '--role', 'Tenant Auditor'], {})).code).toBe(0);
    await access(path.join(cwd, 'data', DEV_SIGNING_KEY_FILE));
  });

  it('refuses an unknown role with exit code 2, listing the valid roles, printing nothing on stdout', async () => {
    const run = await cli(['token', '--tenant', 't1', '--role', 'Tenant Admin']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('Unknown role "Tenant Admin"');
    expect(run.stderr).toContain('Valid roles: "Tenant Administrator", "Tenant Auditor"');
  });

  it.each([
    [['token', '--role', 'Tenant Administrator'], /required option '--tenant <id>' not specified/],
    [['token', '--tenant', '  ', '--role', 'Tenant Administrator'], /--tenant must not be empty/],
    [['token', '--tenant', 't1'], /required option '--role <role>' not specified/],
    [['token', '--tenant', 't1', '--role', 'Tenant Auditor', '--expires-in', '-5'], /positive whole number/],
    [['token', '--tenant', 't1', '--role', 'Tenant Auditor', '--expires-in', '1.5'], /positive whole number/],
    [['token', '--tenant', 't1', '--role', 'Tenant Auditor', '--bogus'], /unknown option '--bogus'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [[], /Usage:/],
  ])('refuses %j with exit code 2 and nothing on stdout', async (argv, message) => {
    const run = await cli(argv);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(message);
  });

  it('prints help on --help with exit code 0', async () => {
    const run = await cli(['token', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--tenant <id>');
  });

  it('refuses to make dev tokens in production or when the server verifies other tokens', async () => {
    const production = await cli(['token', '--tenant', 't1', '--role', 'Tenant Auditor'], { NODE_ENV: 'production', DATA_DIR: 'prod' });
    expect(production).toMatchObject({ code: 1, stdout: '' });
    expect(production.stderr).toMatch(/never accepted in production/);
    await expect(access(path.join(cwd, 'prod'))).rejects.toThrow();

    const env = { AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'https://idp.example/', AUTH_AUDIENCE: 'api' };
    const configured = await cli(['token', '--tenant', 't1', '--role', 'Tenant Auditor'], env);
    expect(configured).toMatchObject({ code: 1, stdout: '' });
    expect(configured.stderr).toMatch(/accept only tokens issued by https:\/\/idp.example\//);

    const half = await cli(['token', '--tenant', 't1', '--role', 'Tenant Auditor'], { AUTH_ISSUER: 'x' });
    expect(half).toMatchObject({ code: 1, stdout: '' });
    expect(half.stderr).toMatch(/AUTH_ISSUER is set but neither/);
  });
});
