import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTokenVerifier, resolveAuthConfig } from '../../src/auth';
import { tempDir } from '../auth/support';

const projectRoot = path.resolve(__dirname, '..', '..');
const windows = process.platform === 'win32';
const npm = windows ? 'npm.cmd' : 'npm';

describe('npm run token', () => {
  it('prints one JWT line alone on stdout (npm banners go to stderr)', async () => {
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
