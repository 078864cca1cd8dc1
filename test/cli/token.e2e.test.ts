import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTokenVerifier, resolveAuthConfig } from '../../src/auth';
import { tempDir } from '../auth/support';

const projectRoot = path.resolve(__dirname, '..', '..');
const windows = process.platform === 'win32';
const npm = windows ? 'npm.cmd' : 'npm';

describe('npm run token', () => {
  it('prints one JWT line alone on stdout (the project’s .npmrc keeps npm’s banners off)', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AUTH_')));
      const { stdout } = await promisify(execFile)(
        npm,
        ['run', 'token', '--', '--tenant', 't1', '--role', windows ? '"Tenant Administrator"' : 'Tenant Administrator'],
        { cwd: projectRoot, env: { ...env, NODE_ENV: 'development', DATA_DIR: dir }, shell: windows },
      );
      expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);

      const verifier = await createTokenVerifier(resolveAuthConfig({}, dir));
      await expect(verifier.verify(`Bearer ${stdout.trim()}`)).resolves.toMatchObject({
        tenantId: 't1',
        roles: ['Tenant Administrator'],
      });
    } finally {
      await cleanup();
    }
  }, 120_000);

  it('when it fails prints its message on stderr and nothing on stdout (no npm JSON, no banner)', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AUTH_')));
      const fail = (args: string[]) =>
        promisify(execFile)(npm, args, { cwd: projectRoot, env: { ...env, NODE_ENV: 'development', DATA_DIR: dir }, shell: windows }).then(
          () => {
            throw new Error('npm run token succeeded with a bad role');
          },
          (error: { code: number; stdout: string; stderr: string }) => error,
        );
      const failed = await fail(['run', 'token', '--', '--tenant', 't1', '--role', 'Bad']);
      expect(failed.code).toBe(2);
      expect(failed.stdout).toBe('');
      expect(failed.stderr).toContain('Unknown role "Bad"');
    } finally {
      await cleanup();
    }
  }, 120_000);

  it('keeps npm out of JSON mode, so npm install prints no JSON', async () => {
    const { stdout } = await promisify(execFile)(npm, ['config', 'get', 'json'], { cwd: projectRoot, shell: windows });
    expect(stdout.trim()).toBe('false');
  }, 30_000);

  it('leaves one dev key when separate processes create it at the same moment (uses the build above)', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const script =
        "require('./dist/src/auth').loadOrCreateDevSigningKey(process.argv[1]).then((key) => console.log(key.kid))";
      const runs = Array.from({ length: 4 }, () =>
        promisify(execFile)(process.execPath, ['-e', script, dir], { cwd: projectRoot }),
      );
      const kids = (await Promise.all(runs)).map(({ stdout }) => stdout.trim());
      expect(kids[0]).toMatch(/^[\w-]{43}$/);
      expect(new Set(kids).size).toBe(1);
    } finally {
      await cleanup();
    }
  }, 30_000);
});
